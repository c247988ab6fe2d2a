import JSON

/// Discord's message limits (message resource, "Embed Limits"): `content` at most 2,000
/// characters; at most 10 embeds; per embed a title of 256, a description of 4,096, at most 25
/// fields with names of 256 and values of 1,024, a footer of 2,048 and an author name of 256; and
/// 6,000 characters across every embed's title, description, field names and values, footer and
/// author. A body that breaks one is refused with 400 code 50035.
enum DiscordEmbedRules {
    static func problems(_ body: JSONValue) -> [String] {
        var found: [String] = []
        if PayloadText.length(PayloadText.text(body, "content")) > 2_000 { found.append("content over 2,000 characters") }
        let embeds = body.objectValue?["embeds"]?.arrayValue ?? []
        if embeds.count > 10 { found.append("\(embeds.count) embeds, over 10") }
        var total = 0
        func measure(_ text: String, _ what: String, _ limit: Int) {
            let length = PayloadText.length(text)
            total += length
            if length > limit { found.append("\(what) of \(length) characters, over \(limit)") }
        }
        for embed in embeds {
            measure(PayloadText.text(embed, "title"), "embed title", 256)
            measure(PayloadText.text(embed, "description"), "embed description", 4_096)
            measure(PayloadText.text(embed.objectValue?["footer"], "text"), "footer", 2_048)
            measure(PayloadText.text(embed.objectValue?["author"], "name"), "author name", 256)
            let fields = embed.objectValue?["fields"]?.arrayValue ?? []
            if fields.count > 25 { found.append("\(fields.count) fields, over 25") }
            for field in fields {
                measure(PayloadText.text(field, "name"), "field name", 256)
                measure(PayloadText.text(field, "value"), "field value", 1_024)
            }
        }
        if total > 6_000 { found.append("\(total) characters across the embeds, over 6,000") }
        return found
    }
}
