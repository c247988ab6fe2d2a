import Foundation
import Hashing
import HTTPServer
import Synchronization

/// A webhook receiver for the tests: answers the challenge (correctly or not) and records every request.
final class TestReceiver: Sendable {
    enum ChallengeAnswer: Sendable {
        case correct
        case wrong
        case status(Int)
    }

    private final class Handler: HTTPHandler {
        let secret: String
        let answer: ChallengeAnswer
        let received = Mutex<[HTTPRequest]>([])

        init(secret: String, answer: ChallengeAnswer) {
            self.secret = secret
            self.answer = answer
        }

        func handle(_ request: HTTPRequest) async -> HTTPResponse {
            received.withLock { $0.append(request) }
            guard let code = request.queryParameter("challengeCode") else { return .json(200, #"{"success":true}"#) }
            switch answer {
            case .correct:
                let mac = Hex.encode(HMACSHA256.authenticationCode(key: Array(secret.utf8), message: Array(code.utf8)))
                // Extra spaces, as pyPreservica's handler sends: the simulator must parse, not compare bytes.
                return .json(200, #"{ "challengeCode": "\#(code)",     "challengeResponse": "\#(mac)" }"#)
            case .wrong:
                return .json(200, #"{"challengeCode":"\#(code)","challengeResponse":"\#(String(repeating: "0", count: 64))"}"#)
            case .status(let status):
                return .json(status, "{}")
            }
        }
    }

    private let handler: Handler
    private let server: HTTPServer
    let url: String

    init(secret: String, answer: ChallengeAnswer = .correct) throws {
        handler = Handler(secret: secret, answer: answer)
        server = HTTPServer(configuration: .init(), handler: handler)
        url = "http://127.0.0.1:\(try server.start())/hook"
    }

    /// Every request received so far.
    var requests: [HTTPRequest] { handler.received.withLock { $0 } }

    func stop() async { await server.stop(gracePeriod: .seconds(1)) }
}
