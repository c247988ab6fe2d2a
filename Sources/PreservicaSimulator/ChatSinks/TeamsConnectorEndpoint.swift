import HTTPServer
import JSON

/// The retired Office 365 connector incoming webhook: 200 `1` on success, 400 `Summary or Text is
/// required.` for a MessageCard with neither, and most other failures as **200** with error text.
struct TeamsConnectorEndpoint {
    /// The connector's message size ceiling (28 KB).
    static let sizeLimit = 28 * 1024

    func answer(_ request: HTTPRequest, json: JSONValue?) -> ChatSinkAnswer {
        guard let card = json?.objectValue else {
            return .rejected(HTTPResponse.text(400, "Bad payload received by generic incoming webhook."), "body is not a JSON object")
        }
        if request.body.count > Self.sizeLimit {
            return .rejected(HTTPResponse.text(200, Self.deliveryFailure(413)), "larger than 28 KB")
        }
        let isAdaptiveEnvelope = ChatSinkPayload.hasItems(card["attachments"])
        guard isAdaptiveEnvelope || ChatSinkPayload.hasText(card["summary"]) || ChatSinkPayload.hasText(card["text"]) else {
            return .rejected(HTTPResponse.text(400, "Summary or Text is required."), "no summary or text")
        }
        return .delivered(HTTPResponse.text(200, "1"))
    }

    /// The 200 body by which the connector reports that Teams answered `status`.
    static func deliveryFailure(_ status: Int) -> String {
        "Webhook message delivery failed with error: Microsoft Teams endpoint returned HTTP error \(status) "
            + "with ContextId tcid=0,server=msgapi-production-weu-azsc2-4-46,cv=Ic0XGy5sQkmkPm0Jr7NTfw.0."
    }
}
