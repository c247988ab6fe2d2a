import HTTPServer
import JSON

/// A Slack incoming webhook: 200 `ok`; errors are plain-text codes (`invalid_payload`, `no_text`).
struct SlackEndpoint {
    func answer(_ request: HTTPRequest, json: JSONValue?) -> ChatSinkAnswer {
        guard let message = json?.objectValue else {
            return .rejected(HTTPResponse.text(400, "invalid_payload"), "body is not a JSON object")
        }
        if let problem = SlackBlockCheck.problem(message) {
            return .rejected(HTTPResponse.text(400, "invalid_blocks"), problem)
        }
        guard ChatSinkPayload.hasText(message["text"]) || ChatSinkPayload.hasItems(message["blocks"])
                || ChatSinkPayload.hasItems(message["attachments"]) else {
            return .rejected(HTTPResponse.text(400, "no_text"), "no text, blocks or attachments")
        }
        return .delivered(HTTPResponse.text(200, "ok"))
    }
}
