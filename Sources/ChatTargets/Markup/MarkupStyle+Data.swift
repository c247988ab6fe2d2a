import JSON

extension MarkupStyle {
    /// Members whose values are links the relay built (`asset.url`, `parent.url`, …) or the
    /// configured server: they are link targets, not text, and keep working as links.
    static let linkKeys: Set<String> = ["url", "server"]

    /// Members the relay writes itself from a parsed date, meant to be read by the service:
    /// `event.time.teams`, Adaptive Cards' `{{DATE()}} {{TIME()}}`. They are left as they are.
    static let builtKeys: Set<String> = ["teams"]

    /// The template data with every string written for this markup: text from Preservica through
    /// ``escape(_:)``, links through ``escapeURL(_:)``. Numbers, booleans and keys are unchanged.
    public func escapeData(_ data: JSONValue) -> JSONValue {
        self == .none ? data : escapeValue(data, key: nil)
    }

    private func escapeValue(_ value: JSONValue, key: String?) -> JSONValue {
        switch value {
        case .string(let text):
            if let key, Self.builtKeys.contains(key) { return value }
            return .string(key.map(Self.linkKeys.contains) == true ? escapeURL(text) : escape(text))
        case .array(let items):
            return .array(items.map { escapeValue($0, key: key) })
        case .object(let object):
            var escaped = JSONObject()
            for (member, item) in object { escaped.append(member, escapeValue(item, key: member)) }
            return .object(escaped)
        case .number, .bool, .null:
            return value
        }
    }
}
