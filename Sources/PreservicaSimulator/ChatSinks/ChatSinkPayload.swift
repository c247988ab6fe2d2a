import JSON

/// Reading a chat request's body: JSON, or the `payload` field of a form (Slack, Mattermost).
enum ChatSinkPayload {
    /// The body's JSON, if it parses; a form body's `payload` field is parsed instead.
    static func json(_ body: [UInt8], contentType: String?) -> JSONValue? {
        if let contentType, contentType.lowercased().hasPrefix("application/x-www-form-urlencoded") {
            guard let payload = FormFields.parse(body)["payload"] else { return nil }
            return try? JSONParser.parse(payload)
        }
        return try? JSONParser.parse(body)
    }

    /// Whether `value` is a non-empty string.
    static func hasText(_ value: JSONValue?) -> Bool {
        guard let text = value?.stringValue else { return false }
        return !text.allSatisfy(\.isWhitespace)
    }

    /// Whether `value` is a non-empty array.
    static func hasItems(_ value: JSONValue?) -> Bool {
        !(value?.arrayValue?.isEmpty ?? true)
    }
}
