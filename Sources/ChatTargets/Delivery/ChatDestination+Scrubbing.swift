import Foundation
import OutboundHTTP

extension ChatDestination {
    /// What in this destination is a key: the URL's path segments and query values (as sent and
    /// decoded) but the words the services' own paths use, the token, and any user or password.
    /// A service, or a proxy in front of it, may echo the path in an error reply
    /// (`Cannot POST /services/T…/B…/<key>`), and a generic webhook's key can be short: a
    /// receiver's id (`/api/webhook/my_hook`) or `?token=abc123`. A reply is read by people only,
    /// so a word too many taken out of it costs little.
    static func secrets(url: URL, token: String?) -> [String] {
        var found: [String] = []
        func add(_ raw: String) {
            found.append(raw)
            if let decoded = raw.removingPercentEncoding, decoded != raw { found.append(decoded) }
        }
        let components = URLComponents(url: url, resolvingAgainstBaseURL: false)
        let segments = (components?.percentEncodedPath ?? "").split(separator: "/").map(String.init)
        for segment in segments where segment.count >= 4 && !pathWords.contains(segment.lowercased()) { add(segment) }
        for item in components?.percentEncodedQueryItems ?? [] {
            guard let value = item.value, !value.isEmpty else { continue }
            // A value under a key's name of 3 characters or more; any other of 4 or more but
            // `true` and `false` (`api-version=2016-06-01` goes too; `v=2`, `threadKey=1` and
            // `wait=true` stay, so a reply's own `1` or `false` is not taken out).
            if ["true", "false"].contains(value.lowercased()) { continue }
            if value.count >= 4 || (value.count >= 3 && secretNames.contains(item.name.lowercased())) { add(value) }
        }
        if let token, token.count >= 4 { found.append(token) }
        for part in [components?.percentEncodedUser, components?.percentEncodedPassword] {
            if let part, part.count >= 4 { found.append(part) }
        }
        // Longest first, so a key is never left half replaced by a shorter one inside it.
        return found.sorted { $0.count > $1.count }
    }

    /// The words of the services' own URL paths, which say nothing secret and are left in a reply.
    private static let pathWords: Set<String> = [
        "api", "hook", "hooks", "webhook", "webhooks", "services", "workflows", "triggers", "manual", "paths", "invoke",
        "spaces", "messages", "_matrix", "client", "rooms", "send", "m.room.message",
    ]

    /// Query parameter names that say the value is a key.
    private static let secretNames: Set<String> = [
        "token", "key", "secret", "sig", "signature", "auth", "pass", "password", "code", "apikey", "api_key", "access_token",
    ]

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
