/// Checks the configured `webhook.path`: the relay matches it against request paths byte for
/// byte, so a path no HTTP request can carry would leave the webhook unreachable.
enum WebhookPath {
    /// Paths the relay serves itself.
    static let reserved = ["/", "/metrics", "/healthz", "/readyz"]

    /// What is wrong with `path`, said so an operator can fix it; nil when it can be used.
    static func problem(in path: String) -> String? {
        if reserved.contains(path) {
            return "\"\(path)\" is taken by the relay itself; use a path such as \"/webhook\""
        }
        guard path.hasPrefix("/") else {
            return "expected a path starting with \"/\", such as \"/webhook\"; found \"\(path)\""
        }
        if path.contains("?") || path.contains("#") {
            return "\"\(path)\" has a query or fragment; give only the path, such as \"/webhook\" "
                + "(Preservica adds its own ?challengeCode= to the handshake)"
        }
        if let bad = path.unicodeScalars.first(where: { !isPathCharacter($0) }) {
            return "\"\(path)\" contains \(describe(bad)), which no HTTP request path can hold, so Preservica could never "
                + "reach it; use letters, digits and - . _ ~ / (e.g. \"\(suggestion(for: path))\"), or percent-encode it"
        }
        if path.contains("//") {
            return "\"\(path)\" has an empty segment (\"//\"); use a path such as \"\(suggestion(for: path))\""
        }
        return nil
    }

    /// What is wrong with `path` when the console is served on the relay's own listener: it
    /// answers every path under `/console`.
    static func consoleProblem(in path: String) -> String? {
        guard path == "/console" || path.hasPrefix("/console/") else { return nil }
        return "\"\(path)\" is the console's, which is served on this listener and answers every path under /console; "
            + "use a path such as \"/webhook\", or give the console a listener of its own (console.listen)"
    }

    /// RFC 3986 `pchar` and `/`: unreserved, sub-delims, `:`, `@`, and `%` for percent-encoding.
    private static func isPathCharacter(_ scalar: Unicode.Scalar) -> Bool {
        guard scalar.isASCII else { return false }
        let value = UInt8(scalar.value)
        switch value {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "-._~!$&'()*+,;=:@/%".unicodeScalars.contains(scalar)
        }
    }

    private static func describe(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case " ": "a space"
        case "\t": "a tab"
        default: scalar.value < 0x20 || scalar.value == 0x7f ? "a control character" : "\"\(scalar)\""
        }
    }

    /// `path` with every character that cannot appear replaced by `-`, empty segments removed.
    private static func suggestion(for path: String) -> String {
        let replaced = String(String.UnicodeScalarView(path.unicodeScalars.map { isPathCharacter($0) ? $0 : "-" }))
        let segments = replaced.split(separator: "/", omittingEmptySubsequences: true)
        return "/" + segments.joined(separator: "/")
    }
}
