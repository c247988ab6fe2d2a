import Foundation
import Synchronization
import OutboundHTTP
@testable import Relay

/// A chat service in memory: answers each post from a script (then `otherwise`), and keeps every
/// request it was sent.
final class ScriptedTransport: ChatTransport {
    /// One answer to one post.
    enum Answer: Sendable {
        /// An HTTP reply.
        case reply(Int, headers: [String: String] = [:], body: String = "")
        /// No reply at all (refused, reset).
        case unreachable
    }

    private let otherwise: Answer
    private let state: Mutex<(script: [Answer], requests: [OutboundRequest])>

    init(_ script: [Answer] = [], otherwise: Answer = .reply(200)) {
        self.otherwise = otherwise
        state = Mutex((script, []))
    }

    func send(_ request: OutboundRequest) async throws(OutboundError) -> OutboundReply {
        let answer = state.withLock { state in
            state.requests.append(request)
            return state.script.isEmpty ? otherwise : state.script.removeFirst()
        }
        switch answer {
        case .reply(let status, let headers, let body):
            return OutboundReply(status: status, headers: headers, body: Array(body.utf8))
        case .unreachable:
            throw OutboundError(kind: .network, host: request.url.host ?? "?", detail: "scripted refusal")
        }
    }

    /// The bodies posted so far, in order, as text.
    var bodies: [String] { state.withLock { $0.requests.map { String(decoding: $0.body ?? [], as: UTF8.self) } } }

    /// How many posts were made.
    var count: Int { state.withLock { $0.requests.count } }
}
