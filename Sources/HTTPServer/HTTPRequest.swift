/// The protocol version of a request.
public enum HTTPVersion: String, Sendable {
    case http1_0 = "HTTP/1.0"
    case http1_1 = "HTTP/1.1"
}

/// One complete HTTP request with its body already de-chunked.
public struct HTTPRequest: Sendable {
    /// The method token as sent, e.g. `POST`.
    public var method: String
    /// The request target as sent, e.g. `/webhook?challengeCode=abc`.
    public var target: String
    /// The protocol version.
    public var version: HTTPVersion
    /// Header fields in the order received.
    public var headers: HTTPHeaders
    /// The body bytes exactly as the client meant them (chunked framing removed).
    public var body: [UInt8]
    /// The peer's address, e.g. `127.0.0.1:53122` or `[::1]:53122`; empty when unknown.
    public var peerAddress: String

    /// Creates a request; the server fills `peerAddress`.
    public init(method: String, target: String, version: HTTPVersion = .http1_1,
                headers: HTTPHeaders = [:], body: [UInt8] = [], peerAddress: String = "") {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
        self.body = body
        self.peerAddress = peerAddress
    }

    /// The path part of the target (no query), still percent-encoded.
    public var path: String {
        // The usual target, "/webhook": itself, found in the bytes (the router, the console and the
        // receiver each ask, and searching the text walks it character by character).
        if isPlainPath { return target }
        let pathAndQuery = Self.originForm(target)
        if let mark = pathAndQuery.utf8.firstIndex(of: UInt8(ascii: "?")) { return String(pathAndQuery[..<mark]) }
        return String(pathAndQuery)
    }

    /// The raw query string (after `?`), if any.
    public var query: String? {
        if isPlainPath { return nil }
        let pathAndQuery = Self.originForm(target)
        guard let mark = pathAndQuery.utf8.firstIndex(of: UInt8(ascii: "?")) else { return nil }
        return String(pathAndQuery[pathAndQuery.index(after: mark)...])
    }

    /// The first value of the query parameter `name`, form-decoded (`+` is a space, `%XX` a byte).
    public func queryParameter(_ name: String) -> String? {
        guard let query else { return nil }
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let key = FormDecoding.decode(parts[0]), key == name else { continue }
            return parts.count > 1 ? FormDecoding.decode(parts[1]) : ""
        }
        return nil
    }

    /// Whether the connection may stay open after this request (HTTP/1.1 unless `close`,
    /// HTTP/1.0 only with `keep-alive`).
    public var keepAlive: Bool {
        let tokens = headers.values(for: "Connection")
            .flatMap { $0.split(separator: ",") }
            .map { $0.trimmingASCIIWhitespace().lowercased() }
        switch version {
        case .http1_1: return !tokens.contains("close")
        case .http1_0: return tokens.contains("keep-alive")
        }
    }

    /// An origin-form target without a query.
    private var isPlainPath: Bool {
        target.utf8.first == UInt8(ascii: "/") && !target.utf8.contains(UInt8(ascii: "?"))
    }

    /// Strips `scheme://authority` from an absolute-form target.
    private static func originForm(_ target: String) -> Substring {
        guard !target.hasPrefix("/"), let scheme = target.firstRange(of: "://") else { return Substring(target) }
        let rest = target[scheme.upperBound...]
        guard let slash = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) else { return "/" }
        return rest[slash] == "?" ? Substring("/" + rest[slash...]) : rest[slash...]
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    func trimmingASCIIWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }
}
