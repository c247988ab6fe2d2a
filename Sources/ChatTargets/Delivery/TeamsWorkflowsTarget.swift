import JSON
import OutboundHTTP

/// Teams Workflows: 202 with an empty body means accepted (the flow runs later). A 401
/// `DirectApiAuthorizationRequired` means the URL's signature is wrong: permanent.
struct TeamsWorkflowsTarget: ChatTarget {
    func request(body: [UInt8], to destination: ChatDestination, deliveryId: String, timeout: Duration) -> OutboundRequest {
        post(body, destination, timeout: timeout)
    }

    func outcome(of reply: OutboundReply) -> DeliveryOutcome {
        let code = (try? JSONParser.parse(reply.body))?.objectValue?["error"]?.objectValue?["code"]?.stringValue
        // A flow turned off (by its owner, or by Power Automate after 90 days without a successful
        // run, or 14 days of failing ones) or deleted: "Could not execute workflow … with state
        // 'Disabled': trigger is not enabled." (400 WorkflowTriggerIsNotEnabled).
        if reply.status == 400, code == "WorkflowTriggerIsNotEnabled" {
            return .gone(reason: "the Teams workflow is turned off or deleted (400 WorkflowTriggerIsNotEnabled): "
                + ReplyText.excerpt(reply.text))
        }
        if reply.status == 404 {
            return .gone(reason: "Teams answered 404: no workflow has this URL any more (\(ReplyText.excerpt(reply.text)))")
        }
        return standardOutcome(reply, service: "Teams")
    }
}
