import JSON

/// Slack's Block Kit limits (Block Kit reference): at most 50 blocks a message, a header's text
/// at most 150 characters, a section's text at most 3,000, at most 10 section fields of at most
/// 2,000 each. They apply to the top-level `blocks` and to each attachment's `blocks`; a body that
/// breaks one is refused with 400 `invalid_blocks`.
enum SlackBlockRules {
    static let headerLimit = 150
    static let sectionLimit = 3_000
    static let fieldLimit = 2_000

    static func problems(_ body: JSONValue) -> [String] {
        var found: [String] = []
        let attached = (body.objectValue?["attachments"]?.arrayValue ?? []).map { $0.objectValue?["blocks"]?.arrayValue ?? [] }
        for blocks in [body.objectValue?["blocks"]?.arrayValue ?? []] + attached {
            if blocks.count > 50 { found.append("\(blocks.count) blocks, over 50") }
            for block in blocks {
                let text = PayloadText.length(PayloadText.text(block.objectValue?["text"], "text"))
                switch PayloadText.text(block, "type") {
                case "header" where text > headerLimit:
                    found.append("header text of \(text) characters, over \(headerLimit)")
                case "section":
                    if text > sectionLimit { found.append("section text of \(text) characters, over 3,000") }
                    let fields = block.objectValue?["fields"]?.arrayValue ?? []
                    if fields.count > 10 { found.append("section with \(fields.count) fields, over 10") }
                    for field in fields where PayloadText.length(PayloadText.text(field, "text")) > fieldLimit {
                        found.append("section field over 2,000 characters")
                    }
                default:
                    break
                }
            }
        }
        return found
    }

    /// `body` with every header, section text and section field cut to its limit. A template caps
    /// a title by characters as a reader sees them, and a Devanagari character is about two of
    /// Slack's, so a title under the template's cap can still be over the header's.
    static func fitTexts(_ body: JSONValue) -> JSONValue {
        guard var message = body.objectValue else { return body }
        PayloadText.editEach(&message, "blocks", fitBlock)
        PayloadText.editEach(&message, "attachments") { PayloadText.editEach(&$0, "blocks", fitBlock) }
        return .object(message)
    }

    private static func fitBlock(_ block: inout JSONObject) {
        switch block["type"]?.stringValue {
        case "header":
            PayloadText.cut(&block, "text", "text", toFit: headerLimit, style: .entities)
        case "section":
            PayloadText.cut(&block, "text", "text", toFit: sectionLimit, style: .entities)
            PayloadText.editEach(&block, "fields") { PayloadText.cut(&$0, "text", toFit: fieldLimit, style: .entities) }
        default:
            break
        }
    }
}
