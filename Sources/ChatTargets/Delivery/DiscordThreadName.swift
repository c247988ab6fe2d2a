import JSON

/// The post a card starts in a Discord forum channel: `thread_name` in the Execute Webhook body.
/// Discord takes at most 100 characters there (`IncomingWebhookRequestPartial.thread_name` in
/// discord/discord-api-spec), counted here in UTF-16 units as the embed rules are (the strictest
/// reading), and shows it as plain text: no markdown, no mentions, one line.
public enum DiscordThreadName {
    /// The most characters in a thread name.
    public static let limit = 100
    /// The name of a post whose card has no title.
    static let untitled = "Preservica"

    /// `title` as a thread name: one line, without controls or invisible format characters
    /// (direction overrides and marks, zero-width spaces), white space runs made one space, cut to
    /// ``limit`` at a character with "…"; ``untitled`` when nothing is left.
    public static func fitted(_ title: String) -> String {
        let visible = String(String.UnicodeScalarView(title.unicodeScalars.filter { scalar in
            let category = scalar.properties.generalCategory
            return category != .format && category != .control || scalar.properties.isWhitespace
        }))
        let line = visible.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        if line.isEmpty { return untitled }
        guard PayloadText.length(line) > limit else { return line }
        var cut = ""
        for character in line {
            if PayloadText.length(cut) + PayloadText.length(String(character)) > limit - 1 { break }
            cut.append(character)
        }
        while cut.last == " " { cut.removeLast() }
        return cut + "…"
    }

    /// `body` with its thread name made fit: a custom card's own `thread_name` (text) fitted, else
    /// `title` fitted when the channel starts a thread per card (`title` not nil), else no
    /// `thread_name` at all. A body that is no JSON object is left as it is.
    static func shaped(_ body: [UInt8], title: String?) -> [UInt8] {
        guard title != nil || Self.mentionsThreadName(body),
              case .object(var object)? = try? JSONParser.parse(body) else { return body }
        let own = object["thread_name"]?.stringValue
        let name = (own ?? title).map(fitted)
        if let index = object.index(of: "thread_name") { object.removeMembers(at: [index]) }
        if let name { object.append("thread_name", .string(name)) }
        return JSONWriter.bytes(.object(object))
    }

    /// Whether the bytes hold the key at all (most bodies do not: no parse for them).
    private static func mentionsThreadName(_ body: [UInt8]) -> Bool {
        let key = Array("\"thread_name\"".utf8)
        guard body.count >= key.count else { return false }
        return (0...(body.count - key.count)).contains { start in body[start..<(start + key.count)].elementsEqual(key) }
    }
}
