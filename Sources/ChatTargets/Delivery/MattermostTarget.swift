import JSON
import OutboundHTTP

/// Mattermost: 200 `ok`; errors are AppError JSON (`{"id": …, "message": …}`). A body Mattermost
/// cannot decode into its structs (a value of the wrong type: 400
/// `model.incoming_hook.parse_data.app_error`, mattermost/mattermost
/// `server/public/model/incoming_webhook.go`) is refused for its shape, which the default card passes.
struct MattermostTarget: ChatTarget {
    /// The error ids that refuse the body's shape rather than the webhook.
    static let shapeErrors: Set<String> = ["model.incoming_hook.parse_data.app_error"]

    func request(body: [UInt8], to destination: ChatDestination, deliveryId: String, timeout: Duration) -> OutboundRequest {
        post(body, destination, timeout: timeout)
    }

    /// Errors about the hook, not the message (mattermost/mattermost `HandleIncomingWebhook`): a
    /// deleted hook (400), incoming webhooks turned off by an administrator (501), a channel the
    /// hook may no longer post to (403), or gone (404).
    static let goneErrors: [String: Int] = [
        "web.incoming_webhook.invalid.app_error": 400, "web.incoming_webhook.disabled.app_error": 501,
        "web.incoming_webhook.permissions.app_error": 403, "app.channel.get.existing.app_error": 404,
    ]

    func outcome(of reply: OutboundReply) -> DeliveryOutcome {
        let id = (try? JSONParser.parse(reply.body))?.objectValue?["id"]?.stringValue
        if reply.status == 400, let id, Self.shapeErrors.contains(id) {
            return .invalidPayload(reason: "Mattermost answered 400 \(id)")
        }
        if let id, Self.goneErrors[id] == reply.status {
            return .gone(reason: "Mattermost answered \(reply.status) \(id): the webhook no longer takes posts")
        }
        return standardOutcome(reply, service: "Mattermost")
    }
}
