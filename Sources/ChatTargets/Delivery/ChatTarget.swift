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

    /// What `reply` to `request` means, where the reading depends on the route the request took
    /// (Discord's API version); by default the same as ``outcome(of:)``.
    func outcome(of reply: OutboundReply, to request: OutboundRequest) -> DeliveryOutcome

    /// How long to wait before the next post to this destination, when the reply says the
    /// service's allowance is used up (nil: the channel's own pace applies).
    func pause(after reply: OutboundReply) -> Duration?

    /// Whether `reply` says the service is throttling the channel (429), which is not counted as
    /// one of a card's attempts.
    func isThrottled(_ reply: OutboundReply) -> Bool
}

extension ChatTarget {
    public func pause(after reply: OutboundReply) -> Duration? { nil }

    public func isThrottled(_ reply: OutboundReply) -> Bool { reply.status == 429 }

    public func outcome(of reply: OutboundReply, to request: OutboundRequest) -> DeliveryOutcome { outcome(of: reply) }

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
            return .rejected(reason: "\(service) answered \(reply.status): \(ReplyText.excerpt(reply.text))")
        }
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
