import JSON

extension ChatTargetKind {
    /// `body` shortened until ``problems(in:)`` finds nothing: the last resort for a default card
    /// that does not fit. The default templates shorten and cap what they show, so only the generic
    /// webhook, whose body is the whole data model, can need it (say, a digest of assets with
    /// 150,000-character titles). Step by step, every text longer than a bound is cut to it with
    /// "…" (links are left whole), then every list is cut to its first items; the first step that
    /// fits is returned, or the last one. Keys and types stay as they were.
    public func fitted(_ body: JSONValue) -> JSONValue {
        guard !problems(in: body).isEmpty else { return body }
        let steps: [(text: Int, items: Int?)] = [(20_000, nil), (2_000, nil), (500, nil), (500, 100), (200, 20), (100, 5)]
        var shortened = body
        for step in steps {
            shortened = Self.shorten(body, text: step.text, items: step.items)
            if problems(in: shortened).isEmpty { break }
        }
        return shortened
    }

    private static func shorten(_ value: JSONValue, text limit: Int, items: Int?) -> JSONValue {
        switch value {
        case .string(let text) where text.count > limit && !text.hasPrefix("http://") && !text.hasPrefix("https://"):
            // Cut by characters as a reader sees them, so no letter or emoji is split.
            return .string(String(text.prefix(limit - 1)) + "…")
        case .array(let list):
            return .array(list.prefix(items ?? list.count).map { shorten($0, text: limit, items: items) })
        case .object(let object):
            return .object(JSONObject(object.map { ($0.key, shorten($0.value, text: limit, items: items)) }))
        case .null, .bool, .number, .string:
            return value
        }
    }
}
