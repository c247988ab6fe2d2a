import Foundation
import OutboundHTTP
import Preservica

/// Sends catch-up notifications to a running relay's webhook, signed with its first secret, so
/// they take the same path as Preservica's own: verified, deduplicated, spooled, delivered.
public struct CatchUpSender: Sendable {
    private let webhook: URL
    private let secret: String
    private let client = OutboundClient(maxConnectionsPerHost: 1)

    /// A sender for the relay `configuration` describes, reached on `port` (default: its `listen` port).
    public init?(configuration: RelayConfiguration, port: Int? = nil) {
        let host = ["0.0.0.0", "::", ""].contains(configuration.listenHost) ? "127.0.0.1"
            : configuration.listenHost.contains(":") ? "[\(configuration.listenHost)]" : configuration.listenHost
        guard let url = URL(string: "http://\(host):\(port ?? configuration.listenPort)\(configuration.webhookPath)"),
              let secret = configuration.webhookSecrets.first?.reveal else { return nil }
        webhook = url
        self.secret = secret
    }

    /// Posts each body; returns the statuses.
    public func send(_ bodies: [[UInt8]]) async throws(OutboundError) -> [Int] {
        var statuses: [Int] = []
        for body in bodies {
            let request = OutboundRequest(method: "POST", url: webhook,
                                          headers: ["Content-Type": "application/json",
                                                    "Preservica-Signature": WebhookVerifier.signature(body: body, secret: secret)],
                                          body: body, timeout: .seconds(30))
            statuses.append(try await client.send(request).status)
        }
        return statuses
    }
}
