import Foundation
import OutboundHTTP

/// Slack: 200 `ok`; 429 with `Retry-After` in whole seconds; 4xx errors (`invalid_payload`...)
/// refuse the message for good, except that the block errors (`invalid_blocks`,
/// `invalid_blocks_format`, `msg_blocks_too_long`) refuse the body's shape, which a simpler card
/// may pass, and the errors about the webhook or its channel (``goneErrors``) say the address is gone.
struct SlackTarget: ChatTarget {
    /// The plain-text errors that refuse the blocks rather than the webhook.
    static let blockErrors: Set<String> = ["invalid_blocks", "invalid_blocks_format", "msg_blocks_too_long"]

    func request(body: [UInt8], to destination: ChatDestination, deliveryId: String, timeout: Duration) -> OutboundRequest {
        post(body, destination, timeout: timeout)
    }

    /// Incoming-webhook errors about the webhook or its channel, not the message (Slack's list of
    /// them: api.slack.com/changelog/2016-05-17-changes-to-errors-for-incoming-webhooks).
    static let goneErrors: Set<String> = [
        "no_service", "no_team", "team_disabled", "invalid_token", "channel_not_found", "channel_is_archived",
        "action_prohibited", "posting_to_general_channel_denied",
    ]

    func outcome(of reply: OutboundReply) -> DeliveryOutcome {
        let text = reply.text.trimmingCharacters(in: .whitespacesAndNewlines)
        if reply.status == 400, Self.blockErrors.contains(text) {
            return .invalidPayload(reason: "Slack answered 400 \(text)")
        }
        if Self.goneErrors.contains(text) {
            return .gone(reason: "Slack answered \(reply.status) \(text): the webhook or its channel no longer takes posts")
        }
        return standardOutcome(reply, service: "Slack")
    }
}
