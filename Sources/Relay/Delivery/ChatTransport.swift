import OutboundHTTP

/// How the deliverer posts a card and reads the reply: the real ``OutboundClient`` in service, a
/// scripted one in tests.
protocol ChatTransport: Sendable {
    /// Sends `request` and returns the reply, or throws when no HTTP reply came.
    func send(_ request: OutboundRequest) async throws(OutboundError) -> OutboundReply
}

extension OutboundClient: ChatTransport {
    /// The client for chat services: a reply is a status and a short message, so 64 KiB is plenty
    /// and more is refused.
    static func chatServices() -> OutboundClient {
        OutboundClient(maxConnectionsPerHost: 4, maxResponseBytes: 64 << 10)
    }
}
