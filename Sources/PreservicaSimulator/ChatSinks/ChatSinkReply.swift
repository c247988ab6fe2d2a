/// An answer queued for a target by ``ChatSink/script(_:path:replies:repeatingLast:)``, sent in
/// place of the sink's normal behaviour. The static helpers build each service's real error shapes.
public struct ChatSinkReply: Sendable, Equatable {
    /// The status code.
    public var status: Int
    /// Header fields to send (the server adds `Content-Length`).
    public var headers: [String: String]
    /// The body bytes.
    public var body: [UInt8]

    /// Creates a reply from its parts.
    public init(status: Int, headers: [String: String] = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A reply with a plain-text body.
    public static func text(_ status: Int, _ text: String, headers: [String: String] = [:]) -> ChatSinkReply {
        var fields = headers
        fields["Content-Type"] = fields["Content-Type"] ?? "text/plain; charset=utf-8"
        return ChatSinkReply(status: status, headers: fields, body: Array(text.utf8))
    }

    /// A reply with a JSON body already encoded.
    public static func json(_ status: Int, _ json: String, headers: [String: String] = [:]) -> ChatSinkReply {
        var fields = headers
        fields["Content-Type"] = "application/json; charset=utf-8"
        return ChatSinkReply(status: status, headers: fields, body: Array(json.utf8))
    }

    /// The body as UTF-8 text.
    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}
