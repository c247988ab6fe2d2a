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
}

extension ChatTarget {
    public func pause(after reply: OutboundReply) -> Duration? { nil }

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
            return .rejected(reason: "\(service) answered \(reply.status): \(RetryAfter.excerpt(reply.text))")
        }
    }
}

/// Reading waits out of replies.
enum RetryAfter {
    /// The longest wait a service may ask for; a longer `Retry-After` is cut to this.
    static let cap: Duration = .seconds(900)

    /// `Retry-After` as seconds (integer or decimal) or as an HTTP date, at most ``cap``.
    static func parse(_ value: String?) -> Duration? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        var seconds = Double(value)
        if seconds == nil {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
            seconds = formatter.date(from: value).map { $0.timeIntervalSinceNow }
        }
        guard let seconds, seconds.isFinite else { return nil }
        return Self.seconds(seconds)
    }

    /// A wait from seconds given as a number (a header, Discord's or Matrix's JSON body), at most
    /// ``cap``. Bounded before it becomes whole milliseconds: a reply asking for 1e16 seconds, or
    /// infinity, must not trap the conversion (and take the relay down at every restart).
    static func seconds(_ value: Double) -> Duration {
        guard !value.isNaN else { return .zero }
        let bounded = min(max(0, value), Double(cap.components.seconds))
        return .milliseconds(Int64(bounded * 1000))
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
