import Dispatch

/// Answers requests. Called once per complete request; the connection waits for the answer
/// before reading the next pipelined request, so responses go out in order.
///
/// Implement the `async` form: it starts on a Dispatch worker thread, off the server's event
/// loop, so it may take its time (and a busy cooperative pool does not hold up its first part). A handler on the hot path may also implement the callback form,
/// which the server calls on its event loop: it must not block, and it calls `respond` exactly
/// once, at once (the answer is written in the same pass) or later from any thread (the answer is
/// handed back to the loop).
public protocol HTTPHandler: Sendable {
    /// The response to `request`.
    func handle(_ request: HTTPRequest) async -> HTTPResponse

    /// Calls `respond` exactly once with the response to `request`, from any thread.
    func handle(_ request: HTTPRequest, respond: @escaping @Sendable (HTTPResponse) -> Void)
}

extension HTTPHandler {
    /// Runs the `async` form off the event loop.
    public func handle(_ request: HTTPRequest, respond: @escaping @Sendable (HTTPResponse) -> Void) {
        Self.offLoop(respond) { await handle(request) }
    }

    /// Runs `answer` from a Dispatch worker thread and passes its response to `respond`.
    static func offLoop(_ respond: @escaping @Sendable (HTTPResponse) -> Void,
                        _ answer: @escaping @Sendable () async -> HTTPResponse) {
        DispatchQueue.global().async { Task.immediate { respond(await answer()) } }
    }
}
