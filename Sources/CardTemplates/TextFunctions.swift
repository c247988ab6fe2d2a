import JSON

/// String functions. Every text argument is read as its interpolation text, so null is `""` and
/// `toUpper(42)` is `"42"`; positions and lengths count characters.
enum TextFunctions {
    /// Entities of escaped data (`&amp;`) keep their case: a service shows `&AMP;` as it is.
    static func upper(_ value: JSONValue) -> JSONValue { .string(EscapeCut.changingCase(value.interpolationText, upper: true)) }

    static func lower(_ value: JSONValue) -> JSONValue { .string(EscapeCut.changingCase(value.interpolationText, upper: false)) }

    /// Removes leading and trailing whitespace (spaces, tabs, newlines and other Unicode spaces).
    static func trim(_ value: JSONValue) -> JSONValue {
        let scalars = value.interpolationText.unicodeScalars
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let end = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return .string("") }
        return .string(String(scalars[start...end]))
    }

    /// `substring(text, start, length?)`. A start or length past the end is clamped to the end
    /// (the Designer errors instead), so `substring(title, 0, 40)` is safe on short titles. A
    /// negative or fractional start or length gives null. A cut before the end never ends inside
    /// an escape of the data (`&am`, a lone `\`): it ends before it (``EscapeCut``).
    static func substring(_ value: JSONValue, _ start: JSONValue, _ length: JSONValue?) -> JSONValue {
        let text = value.interpolationText
        guard let from = wholeNumber(start) else { return .null }
        guard let startIndex = text.index(text.startIndex, offsetBy: from, limitedBy: text.endIndex) else { return .string("") }
        var endIndex = text.endIndex
        if let length, length != .null {
            guard let count = wholeNumber(length) else { return .null }
            endIndex = text.index(startIndex, offsetBy: count, limitedBy: text.endIndex) ?? text.endIndex
        }
        var kept = String(text[startIndex..<endIndex])
        if endIndex < text.endIndex { kept = EscapeCut.backedOff(kept) }
        if startIndex > text.startIndex && !kept.isEmpty { kept = EscapeCut.fromCut(before: text[..<startIndex], rest: kept) }
        return .string(kept)
    }

    /// Replaces every occurrence (case-sensitive). An empty `old` leaves the text as it is.
    static func replace(_ value: JSONValue, _ old: JSONValue, _ new: JSONValue) -> JSONValue {
        let text = value.interpolationText
        let target = old.interpolationText
        guard !target.isEmpty else { return .string(text) }
        return .string(text.replacing(target, with: new.interpolationText))
    }

    static func startsWith(_ value: JSONValue, _ prefix: JSONValue) -> JSONValue {
        .bool(value.interpolationText.hasPrefix(prefix.interpolationText))
    }

    static func endsWith(_ value: JSONValue, _ suffix: JSONValue) -> JSONValue {
        .bool(value.interpolationText.hasSuffix(suffix.interpolationText))
    }

    /// A non-negative whole number, or nil.
    static func wholeNumber(_ value: JSONValue) -> Int? {
        guard case .number(let number) = value, number.rounded() == number, number >= 0, number < 1e15 else { return nil }
        return Int(number)
    }
}
