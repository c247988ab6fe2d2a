import Foundation
import OutboundHTTP

/// One chat service: how to send a rendered payload, and how to read its reply.
public protocol ChatTarget: Sendable {
    /// The request that posts `body` (the enveloped payload as JSON bytes). `deliveryId` is stable
    /// across retries of the same message (Matrix uses it as the transaction id, signed webhooks as
    /// the message id), so a retry the service already took is not shown twice where it can tell.
    func request(body: [UInt8], to destination: ChatDestination, deliveryId: String, timeout: Duration) -> OutboundRequest

    /// What `reply` means.
    func outcome(of reply: OutboundReply) -> DeliveryOutcome
}

extension ChatTarget {
    /// A JSON POST to the destination URL.
    func post(_ body: [UInt8], _ destination: ChatDestination, timeout: Duration, headers: [String: String] = [:]) -> OutboundRequest {
        var all = headers
        all["Content-Type"] = "application/json"
        return OutboundRequest(method: "POST", url: destination.url, headers: all, body: body, timeout: timeout)
    }

    /// The common reading: 2xx delivered; 408, 429 and 5xx retried (honouring Retry-After); other statuses rejected.
    func standardOutcome(_ reply: OutboundReply, service: String) -> DeliveryOutcome {
        switch reply.status {
        case 200..<300: return .delivered
        case 408, 429, 500..<600:
            return .retry(after: RetryAfter.parse(reply.headers["retry-after"]), reason: "\(service) answered \(reply.status)")
        default:
            return .rejected(reason: "\(service) answered \(reply.status): \(RetryAfter.excerpt(reply.text))")
        }
    }
}

/// Reading waits out of replies.
enum RetryAfter {
    /// `Retry-After` as seconds (integer or decimal); HTTP dates are not used by chat services.
    static func parse(_ value: String?) -> Duration? {
        guard let value, let seconds = Double(value.trimmingCharacters(in: .whitespaces)), seconds >= 0, seconds < 86_400 else { return nil }
        return .milliseconds(Int64(seconds * 1000))
    }

    /// The start of a reply body, for a dead letter's reason.
    static func excerpt(_ text: String) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: " ")
        return flat.count > 300 ? String(flat.prefix(300)) + "…" : flat
    }
}

extension ChatTargetKind {
    /// The service behind this kind.
    public var target: any ChatTarget {
        switch self {
        case .teams: TeamsWorkflowsTarget()
        case .teamsConnector: TeamsConnectorTarget()
        case .slack: SlackTarget()
        case .googleChat: GoogleChatTarget()
        case .discord: DiscordTarget()
        case .mattermost: MattermostTarget()
        case .matrix: MatrixTarget()
        case .webhook: SignedWebhookTarget()
        }
    }
}
