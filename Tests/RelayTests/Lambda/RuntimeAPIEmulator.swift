import Foundation
import HTTPServer
import TestSupport

/// A tiny Lambda Runtime API on a loopback port: the `lambda` command under test polls it for
/// events and posts its results back, as it would inside AWS Lambda.
final class RuntimeAPIEmulator: Sendable {
    private let state = RuntimeAPIState()
    private let server: HTTPServer

    /// Starts listening on a free loopback port.
    init() throws {
        server = HTTPServer(configuration: .init(host: "127.0.0.1", port: 0), handler: state)
        _ = try server.start()
    }

    /// The value for `AWS_LAMBDA_RUNTIME_API`.
    var address: String { "127.0.0.1:\(server.port)" }

    /// Queues an invocation with `event` as its payload; returns its request id.
    @discardableResult
    func invoke(_ event: String, deadline: Duration = .seconds(30)) -> String {
        state.enqueue(Array(event.utf8), deadline: deadline)
    }

    /// Every result posted so far.
    var posts: [RuntimeAPIPost] { state.posts }

    /// Waits for the response or error posted for `requestId`.
    func result(for requestId: String, timeout: Duration = .seconds(60)) async -> RuntimeAPIPost? {
        await waitFor(timeout: timeout) { $0.first { $0.requestId == requestId && $0.kind != .initError } }
    }

    /// Waits for an init error.
    func initError(timeout: Duration = .seconds(60)) async -> RuntimeAPIPost? {
        await waitFor(timeout: timeout) { $0.first { $0.kind == .initError } }
    }

    /// Waits until the function has asked for `count` events (it is idle and ready for the next one).
    func waitForNextRequests(_ count: Int, timeout: Duration = .seconds(60)) async -> Bool {
        await waitFor(timeout: timeout) { _ in self.state.nextRequests >= count ? true : nil } ?? false
    }

    /// Answers any waiting request and stops listening.
    func stop() async {
        state.stop()
        await server.stop(gracePeriod: .seconds(1))
    }

    private func waitFor<T>(timeout: Duration, _ found: ([RuntimeAPIPost]) -> T?) async -> T? {
        var value: T?
        _ = await eventually(timeout: timeout) {
            value = found(state.posts)
            return value != nil
        }
        return value
    }
}
