import ChatTargets
import JSON

/// The per-field limits of each chat service (chat-target fact sheet), checked on a rendered
/// request body. Each check returns what is wrong, in words; an empty list means the body fits.
enum TargetLimits {
    /// A Teams card must stay well under the ~28 KB message limit: the measured text-only
    /// failure was at about 20.8k characters (§1.3), so 20,000 bytes is the bar.
    static let teamsComfortBytes = 20_000

    static func problems(_ target: ChatTargetKind, body: JSONValue) -> [String] {
        var found: [String] = []
        if body.wireSize > target.maxPayloadBytes {
            found.append("\(body.wireSize) bytes is over the \(target.maxPayloadBytes)-byte limit")
        }
        if let key = body.allKeys.first(where: { $0 == "$data" || $0 == "$when" }) {
            found.append("template keyword \(key) left in the output")
        }
        if let text = body.allStrings.first(where: { $0.contains("${") }) {
            found.append("unexpanded binding in \(text.prefix(60))")
        }
        switch target {
        case .teams, .teamsConnector: found += teams(target, body)
        case .slack: found += slack(body)
        case .googleChat: found += googleChat(body)
        case .discord: found += discord(body)
        case .mattermost: found += mattermost(body)
        case .matrix: found += matrix(body)
        case .webhook: break
        }
        return found
    }

    private static func teams(_ target: ChatTargetKind, _ body: JSONValue) -> [String] {
        var found: [String] = []
        if body.wireSize > teamsComfortBytes { found.append("\(body.wireSize) bytes is not well under 28 KB") }
        if target == .teamsConnector {
            if body.items("sections").count > 10 { found.append("more than 10 sections") }
            if body.items("potentialAction").count > 4 { found.append("more than 4 actions") }
            if body.text("summary").isEmpty && body.text("text").isEmpty { found.append("neither summary nor text") }
        }
        return found
    }

    private static func slack(_ body: JSONValue) -> [String] {
        var found: [String] = []
        let blocks = body.items("blocks") + body.items("attachments").flatMap { $0.items("blocks") }
        if blocks.isEmpty { found.append("no blocks") }
        if blocks.count > 50 { found.append("\(blocks.count) blocks, over 50") }
        if body.text("text").isEmpty { found.append("no text fallback") }
        if body.text("text").strictLength > 40_000 { found.append("text over 40,000 characters") }
        var total = 0
        for block in blocks {
            let type = block.text("type")
            let text = block["text"]?.text("text") ?? ""
            total += block.allStrings.reduce(0) { $0 + $1.strictLength }
            switch type {
            case "header":
                if text.isEmpty || text.strictLength > 150 { found.append("header text of \(text.strictLength) characters") }
            case "section":
                if text.strictLength > 3_000 { found.append("section text of \(text.strictLength) characters") }
                let fields = block.items("fields")
                if fields.count > 10 { found.append("section with \(fields.count) fields") }
                if block["text"] == nil && fields.isEmpty { found.append("section with neither text nor fields") }
                for field in fields where field.text("text").isEmpty || field.text("text").strictLength > 2_000 {
                    found.append("field text of \(field.text("text").strictLength) characters")
                }
            case "context":
                if block.items("elements").isEmpty || block.items("elements").count > 10 { found.append("context with \(block.items("elements").count) elements") }
            case "actions":
                for element in block.items("elements") where (element["text"]?.text("text") ?? "").strictLength > 75 {
                    found.append("button text over 75 characters")
                }
            default:
                found.append("unexpected block type \(type)")
            }
        }
        // msg_blocks_too_long appears at about 13k characters of blocks in all (§3).
        if total > 12_000 { found.append("\(total) characters in blocks, over 12,000") }
        return found
    }

    private static func googleChat(_ body: JSONValue) -> [String] {
        var found: [String] = []
        let unknown = (body.objectValue?.keys ?? []).filter { !["text", "cardsV2", "thread"].contains($0) }
        if !unknown.isEmpty { found.append("unknown top-level fields \(unknown)") }
        let cards = body.items("cardsV2")
        if cards.count != 1 { found.append("\(cards.count) cards") }
        for card in cards {
            if card["card"]?["header"]?.text("title").isEmpty ?? true { found.append("card without a header title") }
            for section in card["card"]?.items("sections") ?? [] where section.items("widgets").isEmpty {
                found.append("section without widgets")
            }
        }
        return found
    }

    private static func discord(_ body: JSONValue) -> [String] {
        var found: [String] = []
        let embeds = body.items("embeds")
        if embeds.isEmpty || embeds.count > 10 { found.append("\(embeds.count) embeds") }
        if body["allowed_mentions"]?.items("parse") != [] { found.append("mentions are not switched off") }
        var total = 0
        func measure(_ text: String, _ what: String, _ limit: Int) {
            total += text.strictLength
            if text.strictLength > limit { found.append("\(what) of \(text.strictLength) characters, over \(limit)") }
        }
        for embed in embeds {
            measure(embed.text("title"), "title", 256)
            measure(embed.text("description"), "description", 4_096)
            measure(embed["footer"]?.text("text") ?? "", "footer", 2_048)
            measure(embed["author"]?.text("name") ?? "", "author name", 256)
            let fields = embed.items("fields")
            if fields.count > 25 { found.append("\(fields.count) fields, over 25") }
            for field in fields {
                if field.text("name").isEmpty || field.text("value").isEmpty { found.append("empty field name or value") }
                measure(field.text("name"), "field name", 256)
                measure(field.text("value"), "field value", 1_024)
            }
            if embed["color"]?.numberValue == nil { found.append("color is not an integer") }
        }
        if total > 6_000 { found.append("\(total) characters in embeds, over 6,000") }
        return found
    }

    private static func mattermost(_ body: JSONValue) -> [String] {
        var found: [String] = []
        if body.text("text").isEmpty && body.items("attachments").isEmpty { found.append("neither text nor attachments") }
        let characters = body.allStrings.reduce(0) { $0 + $1.strictLength }
        if characters > 16_383 { found.append("\(characters) characters, over the 16,383 post limit") }
        return found
    }

    private static func matrix(_ body: JSONValue) -> [String] {
        var found: [String] = []
        if body.text("msgtype") != "m.notice" { found.append("msgtype is not m.notice") }
        if body.text("body").isEmpty { found.append("no plain body") }
        if body["formatted_body"] != nil && body.text("format") != "org.matrix.custom.html" { found.append("formatted_body without format") }
        return found
    }
}
