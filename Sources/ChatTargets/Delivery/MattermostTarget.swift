import OutboundHTTP

/// Mattermost: 200 `ok`.
struct MattermostTarget: ChatTarget {
    func request(body: [UInt8], to destination: ChatDestination, deliveryId: String, timeout: Duration) -> OutboundRequest {
        post(body, destination, timeout: timeout)
    }

    func outcome(of reply: OutboundReply) -> DeliveryOutcome {
        standardOutcome(reply, service: "Mattermost")
    }
}
