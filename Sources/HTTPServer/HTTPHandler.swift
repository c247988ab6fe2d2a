/// Answers requests. Called once per complete request; the connection waits for the answer
/// before reading the next pipelined request, so responses go out in order.
///
/// Implement the `async` form. A handler on the hot path may also implement the callback form,
/// which the server calls: answering from whatever thread finishes the work saves a hop through
/// the cooperative thread pool per request.
public protocol HTTPHandler: Sendable {
    /// The response to `request`.
    func handle(_ request: HTTPRequest) async -> HTTPResponse

    /// Calls `respond` exactly once with the response to `request`, from any thread.
    func handle(_ request: HTTPRequest, respond: @escaping @Sendable (HTTPResponse) -> Void)
}

extension HTTPHandler {
    /// Runs the `async` form, starting on the caller's thread.
    public func handle(_ request: HTTPRequest, respond: @escaping @Sendable (HTTPResponse) -> Void) {
        Task.immediate { respond(await handle(request)) }
    }
}
