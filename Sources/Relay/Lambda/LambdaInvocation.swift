/// One event handed out by `GET /runtime/invocation/next`.
public struct LambdaInvocation: Sendable {
    /// `Lambda-Runtime-Aws-Request-Id`: names the response or error to post.
    public var requestId: String
    /// `Lambda-Runtime-Deadline-Ms`: when Lambda stops the invocation, in milliseconds since 1970.
    public var deadlineMs: Int64
    /// `Lambda-Runtime-Trace-Id`, if any.
    public var traceId: String?
    /// The event JSON.
    public var event: [UInt8]

    /// Creates an invocation.
    public init(requestId: String, deadlineMs: Int64, traceId: String?, event: [UInt8]) {
        self.requestId = requestId
        self.deadlineMs = deadlineMs
        self.traceId = traceId
        self.event = event
    }
}
