import Foundation

/// Whether a configured URL would carry what it holds (a key in the URL, a token, a password)
/// across a network unencrypted: `http` to a host other than this machine.
enum CleartextURL {
    static func crossesNetwork(_ url: URL) -> Bool {
        guard url.scheme?.lowercased() == "http", let host = url.host?.lowercased() else { return false }
        return !(host == "localhost" || host.hasPrefix("127.") || host == "::1" || host == "[::1]")
    }

    /// The warning for a URL that sends `what` in clear text.
    static func warning(sending what: String) -> String {
        "plain http sends \(what) across the network in clear text; use https (http is meant for this machine only)"
    }
}
