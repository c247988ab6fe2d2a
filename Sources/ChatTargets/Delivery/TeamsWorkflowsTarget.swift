import OutboundHTTP

/// Teams Workflows: 202 with an empty body means accepted (the flow runs later). A 401
/// `DirectApiAuthorizationRequired` means the URL's signature is wrong: permanent.
struct TeamsWorkflowsTarget: ChatTarget {
    func request(body: [UInt8], to destination: ChatDestination, deliveryId: String, timeout: Duration) -> OutboundRequest {
        post(body, destination, timeout: timeout)
    }

    func outcome(of reply: OutboundReply) -> DeliveryOutcome {
        standardOutcome(reply, service: "Teams")
    }
}
