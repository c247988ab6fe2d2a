import Foundation
import JSON

/// One request a ``ChatSink`` received, with what it answered.
public struct ChatSinkMessage: Sendable {
    /// The service the path belongs to.
    public var target: ChatSinkTarget
    /// The request method, e.g. `POST` (`PUT` for Matrix).
    public var method: String
    /// The path without the query, still percent-encoded.
    public var path: String
    /// The query parameters, with credentials (`sig`, `key`, `token`, `access_token`) replaced by `REDACTED`.
    public var query: [String: String]
    /// Header fields by lowercased name; repeated fields are joined with `, `.
    public var headers: [String: String]
    /// The body bytes as received.
    public var body: [UInt8]
    /// The body parsed as JSON (the `payload` field of a form body for Slack and Mattermost), if it parses.
    public var json: JSONValue?
    /// When the request arrived.
    public var receivedAt: Date
    /// The status the sink answered.
    public var status: Int
    /// The body the sink answered.
    public var responseBody: [UInt8]
    /// What the chat service made of the request.
    public var outcome: ChatSinkOutcome

    /// The body as UTF-8 text.
    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// The answered body as UTF-8 text.
    public var responseText: String { String(decoding: responseBody, as: UTF8.self) }

    /// Whether it would show in the chat (``ChatSinkOutcome/delivered``).
    public var isDelivered: Bool { outcome == .delivered }
}
