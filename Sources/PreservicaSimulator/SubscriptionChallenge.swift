import Foundation
import Hashing
import JSON

/// The handshake Preservica runs while a subscription is created (reference §1.4): POST
/// `<url>?challengeCode=<uuid>` with an empty body and no signature, and expect 200 with JSON whose
/// `challengeResponse` is hex HMAC-SHA256(secret, code).
enum SubscriptionChallenge {
    /// nil when the receiver answered correctly, else why not (never naming the secret).
    static func run(url: URL, secret: String) async -> String? {
        let code = RandomIdentifier.uuid()
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return "the URL cannot be parsed" }
        components.queryItems = (components.queryItems ?? []) + [URLQueryItem(name: "challengeCode", value: code)]
        guard let challengeURL = components.url else { return "the URL cannot be parsed" }
        let reply: OutboundHTTPClient.Reply
        do {
            reply = try await OutboundHTTPClient.shared.post(challengeURL, body: [], headers: [], chunked: false)
        } catch {
            return "the receiver could not be reached (\(error.localizedDescription))"
        }
        guard reply.status == 200 else { return "the receiver answered HTTP \(reply.status) to the challenge" }
        guard let answer = try? JSONParser.parse(reply.body).objectValue?["challengeResponse"]?.stringValue else {
            return "the receiver's answer has no challengeResponse"
        }
        let expected = Hex.encode(HMACSHA256.authenticationCode(key: Array(secret.utf8), message: Array(code.utf8)))
        guard ConstantTime.equals(Array(answer.lowercased().utf8), Array(expected.utf8)) else {
            return "the challengeResponse does not match"
        }
        return nil
    }
}
