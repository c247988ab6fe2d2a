import OutboundHTTP

/// Google Chat: 200 with the created Message; 429 and 5xx with a Google error JSON.
struct GoogleChatTarget: ChatTarget {
    func request(body: [UInt8], to destination: ChatDestination, deliveryId: String, timeout: Duration) -> OutboundRequest {
        post(body, destination, timeout: timeout, headers: ["Content-Type": "application/json; charset=UTF-8"])
    }

    func outcome(of reply: OutboundReply) -> DeliveryOutcome {
        standardOutcome(reply, service: "Google Chat")
    }
}
