import Foundation
import OutboundHTTP

/// Slack: 200 `ok`; 429 with `Retry-After` in whole seconds; 4xx errors (`invalid_payload`,
/// `channel_is_archived`...) are permanent, except that the block errors (`invalid_blocks`,
/// `invalid_blocks_format`, `msg_blocks_too_long`) refuse the body's shape, which a simpler
/// card may pass.
struct SlackTarget: ChatTarget {
    /// The plain-text errors that refuse the blocks rather than the webhook.
    static let blockErrors: Set<String> = ["invalid_blocks", "invalid_blocks_format", "msg_blocks_too_long"]

    func request(body: [UInt8], to destination: ChatDestination, deliveryId: String, timeout: Duration) -> OutboundRequest {
        post(body, destination, timeout: timeout)
    }

    func outcome(of reply: OutboundReply) -> DeliveryOutcome {
        let text = reply.text.trimmingCharacters(in: .whitespacesAndNewlines)
        if reply.status == 400, Self.blockErrors.contains(text) {
            return .invalidPayload(reason: "Slack answered 400 \(text)")
        }
        return standardOutcome(reply, service: "Slack")
    }
}
