import JSON

/// Functions over arrays and strings (and, where it makes sense, objects).
enum CollectionFunctions {
    /// True for null, `""`, `[]` and `{}`; false for everything else, numbers and booleans included.
    static func isEmpty(_ value: JSONValue) -> Bool {
        switch value {
        case .null: true
        case .string(let text): text.isEmpty
        case .array(let items): items.isEmpty
        case .object(let object): object.count == 0
        case .number, .bool: false
        }
    }

    /// Characters of a string, items of an array, members of an object; 0 for null; null otherwise.
    static func count(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let text): .number(Double(text.count))
        case .array(let items): .number(Double(items.count))
        case .object(let object): .number(Double(object.count))
        case .null: .number(0)
        case .number, .bool: .null
        }
    }

    /// Like `count`: Adaptive Expressions documents it for strings, arrays are accepted too.
    static func length(_ value: JSONValue) -> JSONValue { count(value) }

    /// Arrays concatenate into one array when every argument is an array; otherwise all
    /// arguments are joined as text (null as nothing).
    static func concat(_ values: [JSONValue]) -> JSONValue {
        if values.allSatisfy({ $0.arrayValue != nil }) {
            return .array(values.flatMap { $0.arrayValue ?? [] })
        }
        var text = ""
        for value in values { text += value.interpolationText }
        return .string(text)
    }

    /// `join(array, separator, lastSeparator?)`: items as text; `lastSeparator` goes before the last item.
    static func join(_ value: JSONValue, separator: JSONValue, lastSeparator: JSONValue?) -> JSONValue {
        guard case .array(let items) = value else { return .null }
        let between = separator.interpolationText
        let beforeLast = lastSeparator?.interpolationText ?? between
        var text = ""
        for (offset, item) in items.enumerated() {
            if offset > 0 { text += offset == items.count - 1 ? beforeLast : between }
            text += item.interpolationText
        }
        return .string(text)
    }

    /// The first item of an array or first character of a string; null when empty or neither.
    static func first(_ value: JSONValue) -> JSONValue {
        switch value {
        case .array(let items): items.first ?? .null
        case .string(let text): text.first.map { .string(String($0)) } ?? .null
        default: .null
        }
    }

    static func last(_ value: JSONValue) -> JSONValue {
        switch value {
        case .array(let items): items.last ?? .null
        case .string(let text): text.last.map { .string(String($0)) } ?? .null
        default: .null
        }
    }

    /// The first `count` items or characters (all of them when `count` is larger; none when negative).
    static func take(_ value: JSONValue, _ count: JSONValue) -> JSONValue {
        guard let count = clampedCount(count) else { return .null }
        switch value {
        case .array(let items): return .array(Array(items.prefix(count)))
        case .string(let text):
            // As `substring`: a cut never ends inside an escape of the data.
            return text.count > count ? .string(EscapeCut.backedOff(String(text.prefix(count)))) : value
        default: return .null
        }
    }

    /// Everything after the first `count` items or characters.
    static func skip(_ value: JSONValue, _ count: JSONValue) -> JSONValue {
        guard let count = clampedCount(count) else { return .null }
        switch value {
        case .array(let items): return .array(Array(items.dropFirst(count)))
        case .string(let text):
            // As `substring`: a cut never begins inside an escape of the data.
            let rest = text.dropFirst(count)
            return count == 0 || rest.isEmpty ? .string(String(rest)) : .string(EscapeCut.fromCut(before: text[..<rest.startIndex], rest: String(rest)))
        default: return .null
        }
    }

    /// A substring in a string, an equal item in an array, a key in an object; false for null.
    static func contains(_ collection: JSONValue, _ value: JSONValue) -> JSONValue {
        switch collection {
        case .string(let text): .bool(text.contains(value.interpolationText))
        case .array(let items): .bool(items.contains(value))
        case .object(let object): .bool(value.stringValue.map { object[$0] != nil } ?? false)
        default: .bool(false)
        }
    }

    /// The 0-based character position of a substring, or the index of an equal array item; -1
    /// when absent; null when the first argument is neither a string nor an array.
    static func indexOf(_ collection: JSONValue, _ value: JSONValue) -> JSONValue {
        switch collection {
        case .string(let text):
            guard let range = text.firstRange(of: value.interpolationText) else { return .number(-1) }
            return .number(Double(text.distance(from: text.startIndex, to: range.lowerBound)))
        case .array(let items):
            return .number(Double(items.firstIndex(of: value) ?? -1))
        default:
            return .null
        }
    }

    private static func clampedCount(_ value: JSONValue) -> Int? {
        guard case .number(let number) = value, number.rounded() == number else { return nil }
        return Int(Swift.min(Swift.max(number, 0), 1e15))
    }
}
