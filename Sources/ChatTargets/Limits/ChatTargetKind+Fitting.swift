import CardTemplates
import JSON

extension ChatTargetKind {
    /// `body` shortened until ``problems(in:)`` finds nothing: the last resort for a card that
    /// does not fit. First each text over a field's own limit (a Slack header, a Discord title) is
    /// cut to it: the default templates cap a title by characters as a reader sees them, and the
    /// services count code points, of which a Devanagari character has about two and a letter
    /// under stacked marks hundreds. Then, for a body still too large (say, a generic webhook's
    /// digest of assets with 150,000-character titles), step by step, every text longer than a
    /// bound is cut to it with "…" (links are left whole), then every list is cut to its first
    /// items; the first step that fits is returned, or the last one. Keys and types stay as they were.
    public func fitted(_ body: JSONValue) -> JSONValue {
        guard !problems(in: body).isEmpty else { return body }
        let cut: JSONValue
        switch self {
        case .slack: cut = SlackBlockRules.fitTexts(body)
        case .discord: cut = DiscordEmbedRules.fitTexts(body)
        case .teams, .teamsConnector, .googleChat, .mattermost, .matrix, .webhook: cut = body
        }
        guard !problems(in: cut).isEmpty else { return cut }
        let steps: [(text: Int, items: Int?)] = [(20_000, nil), (2_000, nil), (500, nil), (500, 100), (200, 20), (100, 5)]
        var shortened = cut
        for step in steps {
            shortened = Self.shorten(cut, text: step.text, items: step.items, style: markup.escapeStyle)
            if problems(in: shortened).isEmpty { break }
        }
        return shortened
    }

    private static func shorten(_ value: JSONValue, text limit: Int, items: Int?, style: EscapeCut.Style) -> JSONValue {
        switch value {
        case .string(let text) where PayloadText.length(text) > limit && !text.hasPrefix("http://") && !text.hasPrefix("https://"):
            return .string(PayloadText.cut(text, toFit: limit, style: style))
        case .array(let list):
            return .array(list.prefix(items ?? list.count).map { shorten($0, text: limit, items: items, style: style) })
        case .object(let object):
            return .object(JSONObject(object.map { ($0.key, shorten($0.value, text: limit, items: items, style: style)) }))
        case .null, .bool, .number, .string:
            return value
        }
    }
}
