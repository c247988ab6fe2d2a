import OutboundHTTP

/// Slack: 200 `ok`; 429 with `Retry-After` in whole seconds; 4xx errors (`invalid_payload`,
/// `channel_is_archived`...) are permanent.
struct SlackTarget: ChatTarget {
    func request(body: [UInt8], to destination: ChatDestination, deliveryId: String, timeout: Duration) -> OutboundRequest {
        post(body, destination, timeout: timeout)
    }

    func outcome(of reply: OutboundReply) -> DeliveryOutcome {
        standardOutcome(reply, service: "Slack")
    }
}
