/// A JSON tree: the one JSON value type of the project.
///
/// Objects keep their keys in order (``JSONObject``). Numbers are kept as `Double`, which holds
/// every integer up to 2^53 exactly (file sizes included), and print without a trailing `.0`.
public enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    /// A short name of the value's type, for error messages ("a string", "an object"...).
    /// The string, if this is one.
    public var stringValue: String? { if case .string(let text) = self { text } else { nil } }
    /// The number, if this is one.
    public var numberValue: Double? { if case .number(let number) = self { number } else { nil } }
    /// The number as a whole `Int64`, if it is one that fits (not 1.5, not 1e300): read counts,
    /// sequence numbers and times through this, since converting such a `Double` traps.
    public var int64Value: Int64? { numberValue.flatMap { Int64(exactly: $0) } }
    /// The members, if this is an object.
    public var objectValue: JSONObject? { if case .object(let object) = self { object } else { nil } }
    /// The items, if this is an array.
    public var arrayValue: [JSONValue]? { if case .array(let items) = self { items } else { nil } }

    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// A JSON object whose keys keep the order they were inserted in.
public struct JSONObject: Sendable, Equatable, Sequence {
    private var entries: [(key: String, value: JSONValue)] = []

    /// An empty object.
    public init() {}

    /// An object with `entries` in order (a later duplicate key replaces the earlier value).
    public init(_ entries: [(String, JSONValue)]) {
        for (key, value) in entries { self[key] = value }
    }

    /// The keys in order.
    public var keys: [String] { entries.map(\.key) }

    /// Number of members.
    public var count: Int { entries.count }

    /// Appends a member (replacing the value if the key is already there, keeping its place).
    public mutating func append(_ key: String, _ value: JSONValue) {
        self[key] = value
    }

    /// The position of `key` among the members, if present.
    public func index(of key: String) -> Int? { entries.firstIndex { $0.key == key } }

    /// Replaces the value of the member at `index` (from ``index(of:)``), keeping its key and place.
    public mutating func replaceValue(at index: Int, with value: JSONValue) {
        entries[index].value = value
    }

    /// Removes the members at `indices`.
    public mutating func removeMembers(at indices: [Int]) {
        for index in indices.sorted(by: >) { entries.remove(at: index) }
    }

    /// The value for `key`; assigning nil removes it.
    public subscript(key: String) -> JSONValue? {
        get { entries.first { $0.key == key }?.value }
        set {
            if let index = entries.firstIndex(where: { $0.key == key }) {
                if let newValue { entries[index].value = newValue } else { entries.remove(at: index) }
            } else if let newValue {
                entries.append((key, newValue))
            }
        }
    }

    public func makeIterator() -> IndexingIterator<[(key: String, value: JSONValue)]> { entries.makeIterator() }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        lhs.entries.count == rhs.entries.count && zip(lhs.entries, rhs.entries).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }
}

extension JSONValue: Decodable {
    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    /// Decodes any JSON (or JSON5 through `JSONDecoder.allowsJSON5`). Object keys come out sorted,
    /// because `Decoder` does not report the order they were written in.
    public init(from decoder: any Decoder) throws {
        if let keyed = try? decoder.container(keyedBy: AnyKey.self) {
            var object = JSONObject()
            for key in keyed.allKeys.sorted(by: { $0.stringValue < $1.stringValue }) {
                object[key.stringValue] = try keyed.decode(JSONValue.self, forKey: key)
            }
            self = .object(object)
            return
        }
        if var unkeyed = try? decoder.unkeyedContainer() {
            var items: [JSONValue] = []
            while !unkeyed.isAtEnd { items.append(try unkeyed.decode(JSONValue.self)) }
            self = .array(items)
            return
        }
        let single = try decoder.singleValueContainer()
        if single.decodeNil() {
            self = .null
        } else if let bool = try? single.decode(Bool.self) {
            self = .bool(bool)
        } else if let number = try? single.decode(Double.self) {
            self = .number(number)
        } else {
            self = .string(try single.decode(String.self))
        }
    }
}
