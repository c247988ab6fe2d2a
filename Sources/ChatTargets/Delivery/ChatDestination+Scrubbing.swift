import Foundation
import OutboundHTTP

extension ChatDestination {
    /// What in this destination is a key: the URL's longer path segments and query values (as
    /// sent and decoded), and the token. A service, or a proxy in front of it, may echo the path in
    /// an error reply (`Cannot POST /services/T…/B…/<key>`).
    static func secrets(url: URL, token: String?) -> [String] {
        var found: [String] = []
        let components = URLComponents(url: url, resolvingAgainstBaseURL: false)
        let segments = (components?.percentEncodedPath ?? "").split(separator: "/").map(String.init)
        // Long segments, and shorter ones with a digit (a generic webhook's `/hook/9f3b2a1c`);
        // never words such as `services` or `webhooks`.
        for segment in segments where segment.count >= 12 || (segment.count >= 6 && segment.contains(where: \.isNumber)) {
            found.append(segment)
            if let decoded = segment.removingPercentEncoding, decoded != segment { found.append(decoded) }
        }
        for item in components?.percentEncodedQueryItems ?? [] {
            guard let value = item.value, value.count >= 8 else { continue }
            found.append(value)
            if let decoded = value.removingPercentEncoding, decoded != value { found.append(decoded) }
        }
        if let token, token.count >= 8 { found.append(token) }
        for part in [components?.percentEncodedUser, components?.percentEncodedPassword] {
            if let part, part.count >= 4 { found.append(part) }
        }
        // Longest first, so a key is never left half replaced by a shorter one inside it.
        return found.sorted { $0.count > $1.count }
    }

    /// `text` with every key of this destination replaced by `•••`.
    public func scrub(_ text: String) -> String {
        var result = text
        for secret in secrets where result.contains(secret) { result = result.replacingOccurrences(of: secret, with: "•••") }
        return result
    }

    /// `reply` with every key of this destination taken out of its body, before anything reads it
    /// into a reason, a log line, the status page or a dead letter.
    public func scrub(_ reply: OutboundReply) -> OutboundReply {
        let text = reply.text
        let clean = scrub(text)
        guard clean != text else { return reply }
        return OutboundReply(status: reply.status, headers: reply.headers, body: Array(clean.utf8))
    }
}
