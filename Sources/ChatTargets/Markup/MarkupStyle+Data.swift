import JSON

extension MarkupStyle {
    /// Members whose values are links the relay built (`asset.url`, `parent.url`, …) or the
    /// configured server: they are link targets, not text, and keep working as links.
    static let linkKeys: Set<String> = ["url", "server"]

    /// The member the relay writes itself from a parsed date, meant to be read by the service:
    /// `event.time.teams`, Adaptive Cards' `{{DATE()}} {{TIME()}}`. It is left as it is only when
    /// it is exactly that (``TeamsTimeText``); a notification's unreadable timestamp there is text.
    static let builtKey = "teams"

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
