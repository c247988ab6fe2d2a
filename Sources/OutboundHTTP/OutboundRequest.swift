import Foundation

/// One outbound HTTP request.
public struct OutboundRequest: Sendable {
    /// The method, e.g. `GET`.
    public var method: String
    /// The full URL.
    public var url: URL
    /// Header fields.
    public var headers: [String: String]
    /// The body, if any.
    public var body: [UInt8]?
    /// Send the body with `Transfer-Encoding: chunked` instead of `Content-Length`.
    public var chunked: Bool
    /// The whole call's deadline.
    public var timeout: Duration
    /// When the calling task is cancelled, answer at once with a `cancelled` error (the HTTP call
    /// itself is left to finish alone). For reads whose answer can be dropped; a post whose answer
    /// says whether a card went out waits for it instead.
    public var endsWhenCancelled: Bool

    /// Creates a request.
    public init(method: String = "GET", url: URL, headers: [String: String] = [:], body: [UInt8]? = nil,
                chunked: Bool = false, timeout: Duration = .seconds(30), endsWhenCancelled: Bool = false) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.chunked = chunked
        self.timeout = timeout
        self.endsWhenCancelled = endsWhenCancelled
    }
}

/// A reply: status, headers (names lowercased) and body.
public struct OutboundReply: Sendable {
    /// The status code.
    public var status: Int
    /// Header fields with lowercased names.
    public var headers: [String: String]
    /// The body bytes.
    public var body: [UInt8]

    /// Creates a reply.
    public init(status: Int, headers: [String: String], body: [UInt8]) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The body as UTF-8 text.
    public var text: String { String(decoding: body, as: UTF8.self) }
}

/// A call that got no HTTP reply. Its message names the host only: never a path, query or header.
public struct OutboundError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public enum Kind: Sendable, Equatable {
        /// Connection refused, reset, DNS, TLS...
        case network
        /// No reply within the deadline.
        case timeout
        /// The caller's task was cancelled.
        case cancelled
        /// The reply's body was larger than the client reads; it was refused, not buffered.
        case tooLarge
    }

    /// What went wrong.
    public var kind: Kind
    /// The host called.
    public var host: String
    /// A short detail safe to log.
    public var detail: String

    /// Creates an error.
    public init(kind: Kind, host: String, detail: String) {
        self.kind = kind
        self.host = host
        self.detail = detail
    }

    public var description: String {
        switch kind {
        case .network: "cannot reach \(host) (\(detail))"
        case .timeout: "\(host) did not answer in time (\(detail))"
        case .cancelled: "call to \(host) cancelled"
        case .tooLarge: "\(host) sent a reply too large to read (\(detail)); refused"
        }
    }
}
