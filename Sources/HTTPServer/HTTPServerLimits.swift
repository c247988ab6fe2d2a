/// Limits and timeouts the server enforces on every connection.
public struct HTTPServerLimits: Sendable, Equatable {
    /// Byte limits for the parser.
    public var parser: HTTPParserLimits
    /// Time allowed from the first byte of a request to the end of its header block (then 408).
    public var headerTimeout: Duration
    /// Time allowed from the end of the header block to the end of the body (then 408); also how
    /// long a client that stops keeping up with a response has to take all the rest of it (not
    /// renewed when it takes some; then the connection is closed).
    public var bodyTimeout: Duration
    /// How long a kept-alive connection may sit without a request before it is closed quietly.
    public var idleTimeout: Duration
    /// Most open connections. At the cap a new connection takes the place of the one that has been
    /// idle (or silent since accept) the longest; with none idle it waits in the kernel's backlog.
    public var maxConnections: Int
    /// Time a new connection may stay silent before it is closed quietly. The header clock also
    /// starts at accept, so the first request head must be complete within `headerTimeout` of it.
    public var firstByteTimeout: Duration
    /// Most open connections from one peer address (0 for no cap). At the cap a new connection
    /// from that address takes the place of its longest-idle one, or is refused when none is idle
    /// (or the one named turns out to have a request arriving).
    /// Behind a reverse proxy every connection comes from the proxy: raise it or set 0 there.
    public var maxConnectionsPerPeer: Int
    /// Event loop threads. Connections are spread over them and the first one also accepts. One by
    /// default here (the simulator and chat sinks); the relay asks for one per core, at most 4,
    /// which measured ahead or even on two cores (docs/benchmarks.md).
    public var eventLoops: Int

    /// Creates limits; the defaults suit a webhook receiver behind a TLS proxy.
    public init(parser: HTTPParserLimits = HTTPParserLimits(), headerTimeout: Duration = .seconds(10),
                bodyTimeout: Duration = .seconds(30), idleTimeout: Duration = .seconds(60), maxConnections: Int = 512,
                firstByteTimeout: Duration = .seconds(3), maxConnectionsPerPeer: Int = 64, eventLoops: Int = 1) {
        self.parser = parser
        self.headerTimeout = headerTimeout
        self.bodyTimeout = bodyTimeout
        self.idleTimeout = idleTimeout
        self.maxConnections = maxConnections
        self.firstByteTimeout = firstByteTimeout
        self.maxConnectionsPerPeer = maxConnectionsPerPeer
        self.eventLoops = eventLoops
    }
}

extension Duration {
    /// This duration for Dispatch, in nanoseconds.
    var dispatchInterval: Int {
        let (seconds, attoseconds) = components
        return Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
    }
}
