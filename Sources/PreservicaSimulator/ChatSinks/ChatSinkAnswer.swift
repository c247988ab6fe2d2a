import HTTPServer

/// A response and what it means for the message (shown, refused, lost after a 202...).
struct ChatSinkAnswer: Sendable {
    var response: HTTPResponse
    var outcome: ChatSinkOutcome

    /// The message is shown in the chat.
    static func delivered(_ response: HTTPResponse) -> ChatSinkAnswer {
        ChatSinkAnswer(response: response, outcome: .delivered)
    }

    /// The message is refused, for `reason`.
    static func rejected(_ response: HTTPResponse, _ reason: String) -> ChatSinkAnswer {
        ChatSinkAnswer(response: response, outcome: .rejected(reason))
    }
}

extension ChatSinkReply {
    /// The reply as the server sends it (header names in sorted order).
    var response: HTTPResponse {
        var fields = HTTPHeaders()
        for name in headers.keys.sorted() { fields.append(name: name, value: headers[name]!) }
        return HTTPResponse(status: status, headers: fields, body: body)
    }
}
