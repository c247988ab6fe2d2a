import HTTPServer
import JSON

/// A Matrix homeserver's `PUT …/rooms/{roomId}/send/m.room.message/{txnId}`: 200 `{"event_id"}`,
/// the same answer again for a retransmitted txnId, and `{"errcode","error"}` errors.
struct MatrixEndpoint {
    let core: ChatSinkCore

    /// Largest event, as formatted.
    static let sizeLimit = 65_536

    func answer(_ request: HTTPRequest, room: String, transaction: String, json: JSONValue?) -> ChatSinkAnswer {
        guard let authorization = request.headers["Authorization"], authorization.hasPrefix("Bearer ") else {
            return .rejected(ChatSinkReply.matrixError(401, errcode: "M_MISSING_TOKEN", error: "Missing access token").response,
                             "no bearer token")
        }
        let token = String(authorization.dropFirst("Bearer ".count))
        guard token == core.configuration.matrixAccessToken else {
            return .rejected(ChatSinkReply.json(
                401, #"{"errcode":"M_UNKNOWN_TOKEN","error":"Invalid access token passed.","soft_logout":false}"#).response,
                "unknown access token")
        }
        let key = "\(token)\u{0}\(room)\u{0}\(transaction)"
        if let earlier = core.state.withLock({ $0.matrixEvents[key] }) {
            return ChatSinkAnswer(response: Self.sent(earlier), outcome: .duplicate)
        }
        guard let json else {
            return .rejected(ChatSinkReply.matrixError(400, errcode: "M_NOT_JSON", error: "Content not JSON.").response,
                             "body is not JSON")
        }
        guard let content = json.objectValue else {
            return badJSON("Content must be a JSON object.")
        }
        guard content["msgtype"]?.stringValue != nil, content["body"]?.stringValue != nil else {
            return badJSON("m.room.message content needs string 'msgtype' and 'body'")
        }
        if content["formatted_body"] != nil && content["format"]?.stringValue == nil {
            return badJSON("'format' is required when 'formatted_body' is present")
        }
        if request.body.count > Self.sizeLimit {
            return .rejected(ChatSinkReply.matrixError(413, errcode: "M_TOO_LARGE", error: "event too large").response,
                             "larger than 65,536 bytes")
        }
        let eventID = core.state.withLock { state in
            if let raced = state.matrixEvents[key] { return raced }
            let fresh = ChatSinkIdentifier.matrixEventID()
            state.matrixEvents[key] = fresh
            return fresh
        }
        return .delivered(Self.sent(eventID))
    }

    private static func sent(_ eventID: String) -> HTTPResponse {
        .json(200, #"{"event_id":\#(JSONText.quoted(eventID))}"#)
    }

    private func badJSON(_ error: String) -> ChatSinkAnswer {
        .rejected(ChatSinkReply.matrixError(400, errcode: "M_BAD_JSON", error: error).response, error)
    }
}
