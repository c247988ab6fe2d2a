import Foundation
import HTTPServer
import JSON

/// A Google Chat incoming webhook: 200 with the created Message resource; errors are Google API
/// JSON. Threads follow `thread.threadKey` with `messageReplyOption`.
struct GoogleChatEndpoint {
    let core: ChatSinkCore

    /// Largest message, cards included.
    static let sizeLimit = 32_000
    /// Top-level fields of a Message a webhook may send; anything else is 400.
    static let knownFields: Set<String> = [
        "name", "text", "formattedText", "cards", "cardsV2", "annotations", "thread", "fallbackText", "argumentText",
        "accessoryWidgets", "attachment", "clientAssignedMessageId", "privateMessageViewer", "quotedMessageMetadata",
    ]

    func answer(_ request: HTTPRequest, space: String, json: JSONValue?, now: Date) -> ChatSinkAnswer {
        guard request.queryParameter("key") != nil else {
            return .rejected(ChatSinkReply.googleChatError(403, "PERMISSION_DENIED",
                                                           message: "The request is missing a valid API key.").response, "no key")
        }
        guard request.queryParameter("token") == core.configuration.googleChatToken else {
            return .rejected(ChatSinkReply.googleChatError(
                401, "UNAUTHENTICATED",
                message: "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie "
                    + "or other valid authentication credential.").response, "missing or wrong token")
        }
        // "Specifying an existing request ID returns the message created with that ID instead of
        // creating a new message" (spaces.messages.create, query parameter requestId).
        let requestKey = request.queryParameter("requestId").map { "\(space)\u{0}\($0)" }
        if let requestKey, let earlier = core.state.withLock({ $0.googleChatRequests[requestKey] }) {
            return ChatSinkAnswer(response: .json(200, earlier), outcome: .duplicate)
        }
        guard let message = json?.objectValue else {
            return invalid("Invalid JSON payload received. Unexpected token.", "body is not a JSON object")
        }
        if let unknown = message.keys.first(where: { !Self.knownFields.contains($0) }) {
            return invalid("Invalid JSON payload received. Unknown name \"\(unknown)\" at 'message': Cannot find field.",
                           "unknown field \(unknown)")
        }
        guard ChatSinkPayload.hasText(message["text"]) || ChatSinkPayload.hasItems(message["cardsV2"])
                || ChatSinkPayload.hasItems(message["cards"]) else {
            return invalid("Message cannot be empty. Discarding empty message.", "no text or cards")
        }
        if request.body.count > Self.sizeLimit {
            return invalid("Message too large: \(request.body.count) bytes; the limit is \(Self.sizeLimit).", "larger than 32,000 bytes")
        }
        guard let thread = thread(for: message, space: space, option: request.queryParameter("messageReplyOption")) else {
            return .rejected(ChatSinkReply.googleChatError(404, "NOT_FOUND", message: "Requested entity was not found.").response,
                             "REPLY_MESSAGE_OR_FAIL with an unknown thread name")
        }
        let serial = core.state.withLock { $0.nextSerial() }
        let id = ChatSinkIdentifier.alphanumeric("\(space)/\(serial)", count: 11)
        // "For webhook requests, the response doesn't contain the full message. The response only
        // populates the name and thread.name fields in addition to what was in the request"
        // (spaces.messages.create): no sender, createTime, formattedText or space.
        var created = JSONObject([("name", .string("spaces/\(space)/messages/\(id).\(id)"))])
        for (key, value) in message where key != "thread" { created.append(key, value) }
        created.append("thread", .object(thread))
        let createdText = JSONWriter.string(.object(created))
        let response = HTTPResponse.json(200, createdText)
        let lost = core.state.withLock { state -> Bool in
            if let requestKey { state.googleChatRequests[requestKey] = createdText }
            guard state.googleChatLostReplies > 0 else { return false }
            state.googleChatLostReplies -= 1
            return true
        }
        if lost {
            return ChatSinkAnswer(response: ChatSinkReply.googleChatError(503, "UNAVAILABLE", message: "The service is currently unavailable.").response,
                                  outcome: .delivered)
        }
        // "If a section's widgets push the total count above 100, that entire section and all
        // following sections are ignored" (Card reference): posted, but not as sent.
        for entry in message["cardsV2"]?.arrayValue ?? [] {
            var widgets = 0
            for (index, section) in (entry.objectValue?["card"]?.objectValue?["sections"]?.arrayValue ?? []).enumerated() {
                widgets += section.objectValue?["widgets"]?.arrayValue?.count ?? 0
                if widgets > 100 {
                    return ChatSinkAnswer(response: response, outcome: .silentlyFailed(
                        "section \(index + 1) takes the card past 100 widgets: it and every later section are not shown"))
                }
            }
        }
        return .delivered(response)
    }

    /// The thread the message lands in, or nil when `REPLY_MESSAGE_OR_FAIL` names a thread (by its
    /// `name`) that does not exist. "If a new thread_key is used, a new thread is created. If the
    /// message creation fails, a NOT_FOUND error is returned instead" (MessageReplyOption).
    private func thread(for message: JSONObject, space: String, option: String?) -> JSONObject? {
        let requested = message["thread"]?.objectValue
        let key = requested?["threadKey"]?.stringValue ?? requested?["thread_key"]?.stringValue
        let named = requested?["name"]?.stringValue
        let replies = option == "REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD" || option == "REPLY_MESSAGE_OR_FAIL"
        return core.state.withLock { state in
            // A new thread, remembered by name so a later reply may name it.
            func started() -> String {
                let name = "spaces/\(space)/threads/" + ChatSinkIdentifier.alphanumeric("\(space)#\(state.nextSerial())", count: 11)
                state.googleChatThreadNames.insert(name)
                return name
            }
            guard replies else { return JSONObject([("name", .string(started()))]) }
            if let named, key == nil {
                if state.googleChatThreadNames.contains(named) { return JSONObject([("name", .string(named))]) }
                return option == "REPLY_MESSAGE_OR_FAIL" ? nil : JSONObject([("name", .string(started()))])
            }
            guard let key else { return JSONObject([("name", .string(started()))]) }
            let name = state.googleChatThreads["\(space)\u{0}\(key)"] ?? started()
            state.googleChatThreads["\(space)\u{0}\(key)"] = name
            return JSONObject([("name", .string(name)), ("threadKey", .string(key))])
        }
    }

    private func invalid(_ message: String, _ reason: String) -> ChatSinkAnswer {
        .rejected(ChatSinkReply.googleChatError(400, "INVALID_ARGUMENT", message: message).response, reason)
    }
}
