import JSON

/// Discord's message limits (message resource, "Embed Limits"): `content` at most 2,000
/// characters; at most 10 embeds; per embed a title of 256, a description of 4,096, at most 25
/// fields with names of 256 and values of 1,024, a footer of 2,048 and an author name of 256; and
/// 6,000 characters across every embed's title, description, field names and values, footer and
/// author. A field's name and value are required: empty or white space only is refused too
/// (`BASE_TYPE_REQUIRED`). A body that breaks one is refused with 400 code 50035.
enum DiscordEmbedRules {
    static let contentLimit = 2_000
    static let titleLimit = 256
    static let descriptionLimit = 4_096
    static let footerLimit = 2_048
    static let authorLimit = 256
    static let fieldNameLimit = 256
    static let fieldValueLimit = 1_024
    /// What a blank field name or value of the default card becomes: a file without a name, say,
    /// would otherwise have the whole card refused. (A custom card with one falls back to the
    /// default card, as for any other problem.)
    static let blankFiller = "—"

    static func problems(_ body: JSONValue) -> [String] {
        var found: [String] = []
        if PayloadText.length(PayloadText.text(body, "content")) > contentLimit { found.append("content over 2,000 characters") }
        let embeds = body.objectValue?["embeds"]?.arrayValue ?? []
        if embeds.count > 10 { found.append("\(embeds.count) embeds, over 10") }
        var total = 0
        func measure(_ text: String, _ what: String, _ limit: Int) {
            let length = PayloadText.length(text)
            total += length
            if length > limit { found.append("\(what) of \(length) characters, over \(limit)") }
        }
        for embed in embeds {
            measure(PayloadText.text(embed, "title"), "embed title", titleLimit)
            measure(PayloadText.text(embed, "description"), "embed description", descriptionLimit)
            measure(PayloadText.text(embed.objectValue?["footer"], "text"), "footer", footerLimit)
            measure(PayloadText.text(embed.objectValue?["author"], "name"), "author name", authorLimit)
            let fields = embed.objectValue?["fields"]?.arrayValue ?? []
            if fields.count > 25 { found.append("\(fields.count) fields, over 25") }
            for field in fields {
                for (key, what, limit) in [("name", "field name", fieldNameLimit), ("value", "field value", fieldValueLimit)] {
                    if isBlank(field.objectValue?[key]) { found.append("an empty \(what)") }
                    measure(PayloadText.text(field, key), what, limit)
                }
            }
        }
        if total > 6_000 { found.append("\(total) characters across the embeds, over 6,000") }
        return found
    }

    /// `body` with every blank field name and value filled with ``blankFiller``, and the content
    /// and every embed's title, description, footer, author name and field names and values cut
    /// to their limits (the 6,000 across embeds is left to the general
    /// shortening). A title under a template's cap by characters as a reader sees them can be
    /// over Discord's by code points.
    static func fitTexts(_ body: JSONValue) -> JSONValue {
        guard var message = body.objectValue else { return body }
        PayloadText.cut(&message, "content", toFit: contentLimit, style: .backslashes)
        PayloadText.editEach(&message, "embeds") { embed in
            PayloadText.cut(&embed, "title", toFit: titleLimit, style: .backslashes)
            PayloadText.cut(&embed, "description", toFit: descriptionLimit, style: .backslashes)
            PayloadText.cut(&embed, "footer", "text", toFit: footerLimit, style: .backslashes)
            PayloadText.cut(&embed, "author", "name", toFit: authorLimit, style: .backslashes)
            PayloadText.editEach(&embed, "fields") { field in
                for key in ["name", "value"] where isBlank(field[key]) {
                    field[key] = .string(blankFiller)
                }
                PayloadText.cut(&field, "name", toFit: fieldNameLimit, style: .backslashes)
                PayloadText.cut(&field, "value", toFit: fieldValueLimit, style: .backslashes)
            }
        }
        return .object(message)
    }

    /// Missing, null, or text that is empty or white space only, which Discord refuses for a
    /// field's name or value.
    private static func isBlank(_ value: JSONValue?) -> Bool {
        switch value {
        case nil, .null?: true
        case .string(let text)?: text.allSatisfy(\.isWhitespace)
        default: false
        }
    }
}
