import JSON

/// Slack's Block Kit limits on a message (top-level `blocks` and each attachment's `blocks`):
/// at most 50 blocks, a header's text at most 150 characters, a section's text at most 3,000, at
/// most 10 section fields of at most 2,000 each. An incoming webhook answers a body that breaks
/// one with 400 `invalid_blocks`.
enum SlackBlockCheck {
    /// Most blocks a message may carry.
    static let blockLimit = 50

    /// Why the blocks of `message` are invalid, or nil.
    static func problem(_ message: JSONObject) -> String? {
        let attached = (message["attachments"]?.arrayValue ?? []).compactMap { $0.objectValue?["blocks"]?.arrayValue }
        for blocks in [message["blocks"]?.arrayValue ?? []] + attached {
            if blocks.count > blockLimit { return "more than \(blockLimit) blocks" }
            for block in blocks {
                if let problem = blockProblem(block.objectValue ?? JSONObject()) { return problem }
            }
        }
        return nil
    }

    private static func blockProblem(_ block: JSONObject) -> String? {
        let text = block["text"]?.objectValue?["text"]?.stringValue ?? ""
        switch block["type"]?.stringValue {
        case "header":
            if length(text) > 150 { return "header text over 150 characters" }
        case "section":
            if length(text) > 3_000 { return "section text over 3,000 characters" }
            let fields = block["fields"]?.arrayValue ?? []
            if fields.count > 10 { return "more than 10 section fields" }
            if fields.contains(where: { length($0.objectValue?["text"]?.stringValue ?? "") > 2_000 }) {
                return "a section field over 2,000 characters"
            }
        default:
            break
        }
        return nil
    }

    /// Characters as Slack counts them: Unicode code points.
    private static func length(_ text: String) -> Int { text.unicodeScalars.count }
}
