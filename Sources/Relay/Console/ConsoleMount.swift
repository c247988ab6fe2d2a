import HTTPServer
import Synchronization

/// The relay's HTTP handler: `/console` and everything under it go to the console once one is
/// mounted (and it is not on a listener of its own); every other path goes to the relay's router.
final class ConsoleMount: HTTPHandler {
    private let router: HTTPRouter
    private let console = Mutex<(any HTTPHandler)?>(nil)

    init(router: HTTPRouter) {
        self.router = router
    }

    /// Sends console paths to `handler` from now on.
    func mount(_ handler: any HTTPHandler) {
        console.withLock { $0 = handler }
    }

    func handle(_ request: HTTPRequest) async -> HTTPResponse {
        await withCheckedContinuation { continuation in
            handle(request) { continuation.resume(returning: $0) }
        }
    }

    func handle(_ request: HTTPRequest, respond: @escaping @Sendable (HTTPResponse) -> Void) {
        let path = request.path
        if path == "/console" || path.hasPrefix("/console/"), let handler = console.withLock({ $0 }) {
            handler.handle(request, respond: respond)
        } else {
            router.handle(request, respond: respond)
        }
    }
}
