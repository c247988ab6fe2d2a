import JSON

/// How expressions read values: truthiness, text conversion and member lookup.
extension JSONValue {
    /// Adaptive Expressions truthiness: `false` and null are false, everything else is true
    /// (including `0` and `""`).
    var isTruthy: Bool {
        switch self {
        case .bool(let flag): flag
        case .null: false
        default: true
        }
    }

    /// The value as text inside an interpolated string: strings as they are, numbers without a
    /// trailing `.0`, booleans as `true`/`false`, null as nothing, arrays and objects as compact JSON.
    var interpolationText: String {
        switch self {
        case .string(let text): text
        case .number(let number): JSONWriter.format(number)
        case .bool(let flag): flag ? "true" : "false"
        case .null: ""
        case .array, .object: JSONWriter.string(self)
        }
    }

    /// `self.name`: a member of an object; on an array, `length`/`count` style lookups are not
    /// supported, so anything but an object gives null.
    func member(_ name: String) -> JSONValue {
        if case .object(let object) = self { return object[name] ?? .null }
        return .null
    }

    /// `self[key]`: an array item by integral number, or an object member by string.
    func element(_ key: JSONValue) -> JSONValue {
        switch (self, key) {
        case (.array(let items), .number(let number)):
            guard number.rounded() == number, number >= 0, number < Double(items.count) else { return .null }
            return items[Int(number)]
        case (.object(let object), .string(let name)):
            return object[name] ?? .null
        case (.object(let object), .number(let number)):
            // Objects with numeric-looking keys ({"0": ...}) are reachable with a number too.
            return object[JSONWriter.format(number)] ?? .null
        default:
            return .null
        }
    }
}
