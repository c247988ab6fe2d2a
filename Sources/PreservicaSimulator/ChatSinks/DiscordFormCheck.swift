import JSON

/// Discord's checks on an Execute Webhook body: `content` and the embed limits of the message
/// resource (10 embeds; title 256, description 4,096, 25 fields, field name 256 and value 1,024,
/// footer 2,048, author 256; 6,000 characters across all embeds), and an embed field's name and
/// value are required: empty or only white space is `BASE_TYPE_REQUIRED` ("This field is
/// required"; the embed field structure lists neither as optional, and a field sent with an empty
/// value is refused so, as reported in Glitchii/embedbuilder#57 and CharlotteDunois/Yasmin#102).
/// A body that breaks one gets 400 `{"code":50035,"message":"Invalid Form Body","errors":{…}}`,
/// the errors nested by JSON path.
enum DiscordFormCheck {
    /// Longest `content`.
    static let contentLimit = 2_000
    /// Most embeds per message.
    static let embedLimit = 10
    /// Characters across every embed's title, description, field names and values, footer and author.
    static let totalEmbedCharacters = 6_000

    /// The first rule `message` breaks: the `errors` object to send and a reason to record.
    static func problem(_ message: JSONObject) -> (errors: JSONValue, reason: String)? {
        if let content = message["content"]?.stringValue, length(content) > contentLimit {
            return tooLong(["content"], contentLimit)
        }
        guard let embeds = message["embeds"]?.arrayValue else { return nil }
        if embeds.count > embedLimit { return tooLong(["embeds"], embedLimit) }
        var total = 0
        for (index, embed) in embeds.enumerated() {
            let at = ["embeds", String(index)]
            let limits: [(path: [String], text: String?, limit: Int)] = [
                (["title"], embed.objectValue?["title"]?.stringValue, 256),
                (["description"], embed.objectValue?["description"]?.stringValue, 4_096),
                (["footer", "text"], embed.objectValue?["footer"]?.objectValue?["text"]?.stringValue, 2_048),
                (["author", "name"], embed.objectValue?["author"]?.objectValue?["name"]?.stringValue, 256),
            ]
            for item in limits {
                guard let text = item.text else { continue }
                if length(text) > item.limit { return tooLong(at + item.path, item.limit) }
                total += length(text)
            }
            let fields = embed.objectValue?["fields"]?.arrayValue ?? []
            if fields.count > 25 { return tooLong(at + ["fields"], 25) }
            for (number, field) in fields.enumerated() {
                let name = field.objectValue?["name"]?.stringValue ?? ""
                let value = field.objectValue?["value"]?.stringValue ?? ""
                if isBlank(field.objectValue?["name"]) { return required(at + ["fields", String(number), "name"]) }
                if isBlank(field.objectValue?["value"]) { return required(at + ["fields", String(number), "value"]) }
                if length(name) > 256 { return tooLong(at + ["fields", String(number), "name"], 256) }
                if length(value) > 1_024 { return tooLong(at + ["fields", String(number), "value"], 1_024) }
                total += length(name) + length(value)
            }
        }
        if total > totalEmbedCharacters {
            let message = "Embed size exceeds maximum size of \(totalEmbedCharacters)"
            return (nested(["embeds"], code: "MAX_EMBED_SIZE_EXCEEDED", message: message), message)
        }
        return nil
    }

    /// Characters as Discord counts them: Unicode code points.
    private static func length(_ text: String) -> Int { text.unicodeScalars.count }

    /// Missing, null, or text that is empty or white space only.
    private static func isBlank(_ value: JSONValue?) -> Bool {
        switch value {
        case nil, .null?: true
        case .string(let text)?: text.allSatisfy(\.isWhitespace)
        default: false
        }
    }

    static func required(_ path: [String]) -> (errors: JSONValue, reason: String) {
        let message = "This field is required"
        return (nested(path, code: "BASE_TYPE_REQUIRED", message: message), path.joined(separator: ".") + ": " + message)
    }

    static func tooLong(_ path: [String], _ limit: Int) -> (errors: JSONValue, reason: String) {
        let message = "Must be \(limit) or fewer in length."
        return (nested(path, code: "BASE_TYPE_MAX_LENGTH", message: message), path.joined(separator: ".") + ": " + message)
    }

    /// `{"a":{"b":{"_errors":[{"code","message"}]}}}` for path a.b.
    private static func nested(_ path: [String], code: String, message: String) -> JSONValue {
        var value = JSONValue.object(JSONObject([("_errors", .array([.object(JSONObject([
            ("code", .string(code)), ("message", .string(message)),
        ]))]))]))
        for key in path.reversed() { value = .object(JSONObject([(key, value)])) }
        return value
    }
}
