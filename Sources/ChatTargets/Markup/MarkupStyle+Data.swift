import JSON

extension MarkupStyle {
    /// Members whose values are links the relay built (`asset.url`, `parent.url`, …) or the
    /// configured server: they are link targets, not text, and keep working as links.
    static let linkKeys: Set<String> = ["url", "server"]

    /// The member the relay writes itself from a parsed date, meant to be read by the service:
    /// `event.time.teams`, Adaptive Cards' `{{DATE()}} {{TIME()}}`. It is left as it is only when
    /// it is exactly that (``TeamsTimeText``); a notification's unreadable timestamp there is text.
    static let builtKey = "teams"
    /// The same for a span of two times: `digest.time.teamsSpan` (``TeamsTimeText/makeSpan(from:to:)``).
    static let builtSpanKey = "teamsSpan"

    /// Members that templates compare with a wire value (`event.trigger == 'FULL_TEXT_INDEXED'`):
    /// left as they are when the value is a word such as Preservica's trigger names (capitals and
    /// digits, joined by single underscores), which forms no markup on any service (an underscore
    /// inside a word opens no emphasis in CommonMark or Discord), so that the comparison holds on
    /// the services whose escaping would write `FULL\_TEXT\_INDEXED`. Any other value is escaped.
    static let wordKeys: Set<String> = ["trigger"]

    /// Whether `text` is such a word: `[A-Z0-9]+(_[A-Z0-9]+)*`.
    static func isPlainWord(_ text: String) -> Bool {
        var previous: UInt8 = UInt8(ascii: "_")
        for byte in text.utf8 {
            let wordByte = (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x30 && byte <= 0x39)
            guard wordByte || (byte == UInt8(ascii: "_") && previous != UInt8(ascii: "_")) else { return false }
            previous = byte
        }
        return !text.isEmpty && previous != UInt8(ascii: "_")
    }

    /// Members whose member names come from Preservica (a bitstream's `fixity`, by algorithm):
    /// names and values are text, whatever the names are (an algorithm called `url` is no link).
    static let dataKeyedMembers: Set<String> = ["fixity"]

    /// The template data with every string written for this markup: text from Preservica through
    /// ``escape(_:)``, links through ``escapeURL(_:)``. Numbers, booleans and the relay's own keys
    /// are unchanged.
    public func escapeData(_ data: JSONValue) -> JSONValue {
        self == .none ? data : escapeValue(data, key: nil)
    }

    private func escapeValue(_ value: JSONValue, key: String?) -> JSONValue {
        switch value {
        case .string(let text):
            if key == Self.builtKey, TeamsTimeText.isBuilt(text) { return value }
            if key == Self.builtSpanKey, TeamsTimeText.isBuiltSpan(text) { return value }
            if let key, Self.wordKeys.contains(key), Self.isPlainWord(text) { return value }
            return .string(key.map(Self.linkKeys.contains) == true ? escapeURL(text) : escape(text))
        case .array(let items):
            return .array(items.map { escapeValue($0, key: key) })
        case .object(let object):
            var escaped = JSONObject()
            if let key, Self.dataKeyedMembers.contains(key) {
                for (member, item) in object { escaped.append(escape(member), escapeValue(item, key: nil)) }
            } else {
                for (member, item) in object { escaped.append(member, escapeValue(item, key: member)) }
            }
            return .object(escaped)
        case .number, .bool, .null:
            return value
        }
    }
}
