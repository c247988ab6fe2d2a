/// Limits and timeouts the server enforces on every connection.
public struct HTTPServerLimits: Sendable, Equatable {
    /// Byte limits for the parser.
    public var parser: HTTPParserLimits
    /// Time allowed from the first byte of a request to the end of its header block (then 408).
    public var headerTimeout: Duration
    /// Time allowed from the end of the header block to the end of the body (then 408).
    public var bodyTimeout: Duration
    /// How long a kept-alive connection may sit without a request before it is closed quietly.
    public var idleTimeout: Duration
    /// Most open connections; more wait in the kernel's accept backlog.
    public var maxConnections: Int

    /// Creates limits; the defaults suit a webhook receiver behind a TLS proxy.
    public init(parser: HTTPParserLimits = HTTPParserLimits(), headerTimeout: Duration = .seconds(10),
                bodyTimeout: Duration = .seconds(30), idleTimeout: Duration = .seconds(60), maxConnections: Int = 512) {
        self.parser = parser
        self.headerTimeout = headerTimeout
        self.bodyTimeout = bodyTimeout
        self.idleTimeout = idleTimeout
        self.maxConnections = maxConnections
    }
}

extension Duration {
    /// This duration for Dispatch, in nanoseconds.
    var dispatchInterval: Int {
        let (seconds, attoseconds) = components
        return Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
    }
}
