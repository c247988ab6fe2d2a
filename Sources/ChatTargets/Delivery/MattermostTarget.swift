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

    func outcome(of reply: OutboundReply) -> DeliveryOutcome {
        if reply.status == 400, let id = (try? JSONParser.parse(reply.body))?.objectValue?["id"]?.stringValue, Self.shapeErrors.contains(id) {
            return .invalidPayload(reason: "Mattermost answered 400 \(id)")
        }
        return standardOutcome(reply, service: "Mattermost")
    }
}
