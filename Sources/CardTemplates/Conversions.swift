import JSON

/// `int`, `float` and `bool`. What cannot be converted gives null.
enum Conversions {
    /// Whole number toward zero, from a number or a numeric string (`int('10.7')` is 10).
    static func int(_ value: JSONValue) -> JSONValue {
        guard let number = number(value) else { return .null }
        return .number(number.rounded(.towardZero))
    }

    /// A number from a number or a numeric string.
    static func float(_ value: JSONValue) -> JSONValue {
        number(value).map(JSONValue.number) ?? .null
    }

    /// Booleans as they are; numbers are true unless 0; the strings "true"/"false" (any case)
    /// are what they say, other strings are true unless empty; null is false; arrays and objects true.
    static func bool(_ value: JSONValue) -> JSONValue {
        switch value {
        case .bool: value
        case .number(let number): .bool(number != 0)
        case .string(let text):
            switch text.lowercased() {
            case "true": .bool(true)
            case "false": .bool(false)
            default: .bool(!text.isEmpty)
            }
        case .null: .bool(false)
        case .array, .object: .bool(true)
        }
    }

    private static func number(_ value: JSONValue) -> Double? {
        switch value {
        case .number(let number): return number
        case .string(let text):
            let trimmed = TextFunctions.trim(value).stringValue ?? text
            // Only plain decimal notation: no hex floats, "inf" or "nan".
            guard !trimmed.isEmpty, trimmed.unicodeScalars.allSatisfy({ "0123456789+-.eE".unicodeScalars.contains($0) }),
                  let number = Double(trimmed), number.isFinite
            else { return nil }
            return number
        default: return nil
        }
    }
}
