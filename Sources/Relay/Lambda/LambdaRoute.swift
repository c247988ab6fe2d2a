import HTTPServer

/// Which of the relay's endpoints an invocation's request is for.
enum LambdaRoute: Sendable {
    /// `POST` to the configured webhook path (or a path ending with it).
    case webhook
    /// `GET /healthz`.
    case health
    /// `GET /readyz`.
    case ready
    /// Unknown path (404) or method (405), answered as the HTTP server's router would.
    case refused(HTTPResponse)
}
