import HTTPServer
import JSON

/// A Mattermost incoming webhook: 200 `ok`; errors are AppError JSON.
struct MattermostEndpoint {
    func answer(_ request: HTTPRequest, json: JSONValue?) -> ChatSinkAnswer {
        guard let message = json?.objectValue else {
            return .rejected(ChatSinkReply.mattermostError(400, id: "web.incoming_webhook.parse.app_error",
                                                           message: "Unable to parse incoming data.").response,
                             "body is not a JSON object")
        }
        if let problem = MattermostFormCheck.problem(message) {
            return .rejected(ChatSinkReply.mattermostError(400, id: "model.incoming_hook.parse_data.app_error",
                                                           message: "Unable to parse incoming data").response,
                             "Mattermost cannot decode it: \(problem)")
        }
        guard ChatSinkPayload.hasText(message["text"]) || ChatSinkPayload.hasItems(message["attachments"]) else {
            return .rejected(ChatSinkReply.mattermostError(400, id: "web.incoming_webhook.text.app_error",
                                                           message: "No text specified.").response,
                             "no text or attachments")
        }
        return .delivered(HTTPResponse.text(200, "ok"))
    }

    /// Mattermost's AppError body.
    static func appError(_ status: Int, id: String, message: String) -> String {
        let requestID = ChatSinkIdentifier.alphanumeric(id, count: 26).lowercased()
        return #"{"id":\#(JSONText.quoted(id)),"message":\#(JSONText.quoted(message)),"detailed_error":"","#
            + #""request_id":\#(JSONText.quoted(requestID)),"status_code":\#(status)}"#
    }
}
