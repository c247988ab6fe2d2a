import Foundation
import HTTPServer
import JSON

/// A Matrix homeserver's `PUT …/rooms/{roomId}/send/m.room.message/{txnId}`: 200 `{"event_id"}`,
/// the same answer again for a retransmitted txnId, and `{"errcode","error"}` errors.
struct MatrixEndpoint {
    let core: ChatSinkCore

    /// Largest event: "The complete event MUST NOT be larger than 65536 bytes, when formatted with
    /// the federation event format, including any signatures, and encoded as Canonical JSON"
    /// (Matrix specification, client-server API, "Size limits").
    static let sizeLimit = 65_536

    /// The event as the homeserver stores and measures it: the content inside the fields of a
    /// federation event (room, sender, type, time, depth, the events before it, hashes and a
    /// signature), with identifiers and signatures of their usual lengths.
    static func storedEventSize(content: [UInt8], room: String, sender: String = "@relay:sink.local") -> Int {
        let eventID = "$" + String(repeating: "E", count: 43)
        let head = #"{"auth_events":["\#(eventID)","\#(eventID)","\#(eventID)"],"content":"#
        let tail = #","depth":123456,"hashes":{"sha256":"\#(String(repeating: "h", count: 43))"},"origin_server_ts":1764583200000,"#
            + #""prev_events":["\#(eventID)"],"room_id":"\#(room)","sender":"\#(sender)","#
            + #""signatures":{"sink.local":{"ed25519:a_AbCd":"\#(String(repeating: "s", count: 86))"}},"type":"m.room.message"}"#
        return head.utf8.count + content.count + tail.utf8.count
    }

    func answer(_ request: HTTPRequest, room: String, transaction: String, json: JSONValue?, now: Date) -> ChatSinkAnswer {
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
        let size = Self.storedEventSize(content: request.body, room: room)
        if size > Self.sizeLimit {
            return .rejected(ChatSinkReply.matrixError(413, errcode: "M_TOO_LARGE", error: "event too large").response,
                             "the event would be \(size) bytes, over 65,536")
        }
        let configuration = core.configuration
        if let wait = core.state.withLock({ state -> Int? in
            var allowance = state.matrixAllowances[token]
                ?? MatrixMessageAllowance(perSecond: configuration.matrixMessagesPerSecond, burst: configuration.matrixMessageBurst)
            defer { state.matrixAllowances[token] = allowance }
            return allowance.take(at: now)
        }) {
            return .rejected(ChatSinkReply.matrixLimitExceeded(retryAfterMs: wait).response,
                             "over the homeserver's message limit (M_LIMIT_EXCEEDED)")
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
