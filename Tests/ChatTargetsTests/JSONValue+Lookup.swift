import JSON

extension JSONValue {
    /// The member `key` of an object; nil for anything else.
    subscript(key: String) -> JSONValue? { objectValue?[key] }

    /// The item at `index` of an array; nil when out of range or not an array.
    subscript(index: Int) -> JSONValue? {
        guard let items = arrayValue, items.indices.contains(index) else { return nil }
        return items[index]
    }

    /// The items of an array member, or an empty list.
    func items(_ key: String) -> [JSONValue] { self[key]?.arrayValue ?? [] }

    /// The text of a string member, or an empty string.
    func text(_ key: String) -> String { self[key]?.stringValue ?? "" }

    /// Every string value in the tree, depth first.
    var allStrings: [String] {
        switch self {
        case .string(let text): [text]
        case .array(let items): items.flatMap(\.allStrings)
        case .object(let object): object.flatMap { $0.value.allStrings }
        case .null, .bool, .number: []
        }
    }

    /// Every object key in the tree.
    var allKeys: [String] {
        switch self {
        case .array(let items): items.flatMap(\.allKeys)
        case .object(let object): object.flatMap { [$0.key] + $0.value.allKeys }
        case .null, .bool, .number, .string: []
        }
    }

    /// Bytes of the compact UTF-8 JSON text, as it goes on the wire.
    var wireSize: Int { JSONWriter.bytes(self).count }
}

extension String {
    /// Length as the strictest chat service might count it: UTF-16 code units, never fewer than
    /// the characters or Unicode scalars a reader sees.
    var strictLength: Int { utf16.count }
}
