import JSON

/// Slack's Block Kit limits (Block Kit reference): at most 50 blocks a message, a header's text
/// at most 150 characters, a section's text at most 3,000, at most 10 section fields of at most
/// 2,000 each. They apply to the top-level `blocks` and to each attachment's `blocks`; a body that
/// breaks one is refused with 400 `invalid_blocks`.
enum SlackBlockRules {
    static func problems(_ body: JSONValue) -> [String] {
        var found: [String] = []
        let attached = (body.objectValue?["attachments"]?.arrayValue ?? []).map { $0.objectValue?["blocks"]?.arrayValue ?? [] }
        for blocks in [body.objectValue?["blocks"]?.arrayValue ?? []] + attached {
            if blocks.count > 50 { found.append("\(blocks.count) blocks, over 50") }
            for block in blocks {
                let text = PayloadText.length(PayloadText.text(block.objectValue?["text"], "text"))
                switch PayloadText.text(block, "type") {
                case "header" where text > 150:
                    found.append("header text of \(text) characters, over 150")
                case "section":
                    if text > 3_000 { found.append("section text of \(text) characters, over 3,000") }
                    let fields = block.objectValue?["fields"]?.arrayValue ?? []
                    if fields.count > 10 { found.append("section with \(fields.count) fields, over 10") }
                    for field in fields where PayloadText.length(PayloadText.text(field, "text")) > 2_000 {
                        found.append("section field over 2,000 characters")
                    }
                default:
                    break
                }
            }
        }
        return found
    }
}
