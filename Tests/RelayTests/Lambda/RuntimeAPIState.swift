import Foundation
import HTTPServer
import Synchronization

/// The Runtime API emulator's requests and bookkeeping: events waiting to be handed out, `next`
/// requests waiting for an event, and the results posted back.
final class RuntimeAPIState: HTTPHandler, Sendable {
    private struct Event {
        var requestId: String
        var deadlineMs: Int64
        var body: [UInt8]
    }

    private struct Shared {
        var events: [Event] = []
        var waiting: [CheckedContinuation<HTTPResponse, Never>] = []
        var posts: [RuntimeAPIPost] = []
        var nextRequests = 0
        var stopped = false
    }

    private let shared = Mutex(Shared())
    private static let prefix = "/2018-06-01/runtime"

    /// Queues an event; a `next` request already waiting gets it at once. Returns its request id.
    func enqueue(_ body: [UInt8], deadline: Duration) -> String {
        let id = UUID().uuidString.lowercased()
        let deadlineMs = Int64(Date().timeIntervalSince1970 * 1000) + deadline.components.seconds * 1000
        let event = Event(requestId: id, deadlineMs: deadlineMs, body: body)
        let waiter = shared.withLock { state -> CheckedContinuation<HTTPResponse, Never>? in
            if state.waiting.isEmpty {
                state.events.append(event)
                return nil
            }
            return state.waiting.removeFirst()
        }
        waiter?.resume(returning: Self.response(for: event))
        return id
    }

    /// Every result posted so far.
    var posts: [RuntimeAPIPost] { shared.withLock { $0.posts } }

    /// How many `next` requests have arrived.
    var nextRequests: Int { shared.withLock { $0.nextRequests } }

    /// Answers every `next` still waiting (503), so the server can close its connections.
    func stop() {
        let waiters = shared.withLock { state in
            state.stopped = true
            defer { state.waiting.removeAll() }
            return state.waiting
        }
        for waiter in waiters { waiter.resume(returning: .jsonError(503, "emulator stopped")) }
    }

    func handle(_ request: HTTPRequest) async -> HTTPResponse {
        let path = request.path
        guard path.hasPrefix(Self.prefix) else { return .jsonError(404, "no such path") }
        let rest = path.dropFirst(Self.prefix.count)
        if request.method == "GET" && rest == "/invocation/next" {
            return await next()
        }
        guard request.method == "POST" else { return .jsonError(405, "method not allowed") }
        let errorType = request.headers["Lambda-Runtime-Function-Error-Type"]
        if rest == "/init/error" {
            record(RuntimeAPIPost(kind: .initError, requestId: "", errorType: errorType, body: request.body))
            return .json(202, #"{"status":"OK"}"#)
        }
        let parts = rest.split(separator: "/")
        guard parts.count == 3, parts[0] == "invocation", parts[2] == "response" || parts[2] == "error" else {
            return .jsonError(404, "no such path")
        }
        record(RuntimeAPIPost(kind: parts[2] == "response" ? .response : .error, requestId: String(parts[1]),
                              errorType: errorType, body: request.body))
        return .json(202, #"{"status":"OK"}"#)
    }

    /// Hands out the oldest queued event, or holds the request open until one is queued.
    private func next() async -> HTTPResponse {
        await withCheckedContinuation { continuation in
            let answer = shared.withLock { state -> HTTPResponse? in
                state.nextRequests += 1
                if state.stopped { return .jsonError(503, "emulator stopped") }
                if state.events.isEmpty {
                    state.waiting.append(continuation)
                    return nil
                }
                return Self.response(for: state.events.removeFirst())
            }
            if let answer { continuation.resume(returning: answer) }
        }
    }

    private func record(_ post: RuntimeAPIPost) {
        shared.withLock { $0.posts.append(post) }
    }

    private static func response(for event: Event) -> HTTPResponse {
        HTTPResponse(status: 200, headers: [
            "Content-Type": "application/json",
            "Lambda-Runtime-Aws-Request-Id": event.requestId,
            "Lambda-Runtime-Deadline-Ms": String(event.deadlineMs),
            "Lambda-Runtime-Invoked-Function-Arn": "arn:aws:lambda:eu-west-1:000000000000:function:preservica-relay",
            "Lambda-Runtime-Trace-Id": "Root=1-00000000-000000000000000000000000;Sampled=0",
        ], body: event.body)
    }
}
