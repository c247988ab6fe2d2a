/// Answers requests. Called once per complete request; the connection waits for the answer
/// before reading the next pipelined request, so responses go out in order.
public protocol HTTPHandler: Sendable {
    /// The response to `request`.
    func handle(_ request: HTTPRequest) async -> HTTPResponse
}
