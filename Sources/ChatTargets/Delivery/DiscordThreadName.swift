import JSON

/// The post a card starts in a Discord forum channel: `thread_name` in the Execute Webhook body.
/// Discord takes at most 100 characters there (`IncomingWebhookRequestPartial.thread_name` in
/// discord/discord-api-spec) and shows it as plain text: no markdown, no mentions, one line.
public enum DiscordThreadName {
    /// The most characters (code points) in a thread name.
    public static let limit = 100
    /// The name of a post whose card has no title.
    static let untitled = "Preservica"

    /// `title` as a thread name: one line, without direction overrides, white space runs made one
    /// space, cut to ``limit`` at a character with "…"; ``untitled`` when nothing is left.
    public static func fitted(_ title: String) -> String {
        let words = TextDefusing.withoutBidiControls(title)
            .split(whereSeparator: { $0.isWhitespace || $0.unicodeScalars.allSatisfy { $0.properties.generalCategory == .control } })
        let line = words.joined(separator: " ")
        if line.isEmpty { return untitled }
        guard line.unicodeScalars.count > limit else { return line }
        var cut = ""
        var scalars = 0
        for character in line {
            let count = character.unicodeScalars.count
            if scalars + count > limit - 1 { break }
            cut.append(character)
            scalars += count
        }
        return cut.trimmingTrailingSpaces() + "…"
    }

    /// `body` with `thread_name` set to `title`, fitted; a body that names its own thread (a
    /// custom card), or is no JSON object, is left as it is.
    static func starting(_ body: [UInt8], named title: String) -> [UInt8] {
        guard case .object(var object)? = try? JSONParser.parse(body), object["thread_name"] == nil else { return body }
        object.append("thread_name", .string(fitted(title)))
        return JSONWriter.bytes(.object(object))
    }
}

private extension String {
    func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}
