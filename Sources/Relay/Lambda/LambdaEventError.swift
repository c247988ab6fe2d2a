/// An invocation event that is not a Function URL / API Gateway HTTP API (payload 2.0) request.
///
/// The runtime reports it through `/runtime/invocation/{id}/error`: such an event comes from a
/// misconfigured trigger, not from Preservica, so there is no HTTP client to answer.
public struct LambdaEventError: Error, Sendable, CustomStringConvertible {
    /// What is wrong with the event, without echoing its content.
    public var message: String

    /// Creates an error.
    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
