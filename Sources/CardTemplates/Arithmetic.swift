import JSON

/// Numeric operators and functions. Anything that is not a number (except the string
/// concatenation of `+`) gives null, and so do division by zero and overflow.
enum Arithmetic {
    /// `+` and `add`: numbers add; when either side is a string, both are concatenated as text.
    static func add(_ left: JSONValue, _ right: JSONValue) -> JSONValue {
        switch (left, right) {
        case (.number(let a), .number(let b)): finite(a + b)
        case (.string, _), (_, .string): .string(left.interpolationText + right.interpolationText)
        default: .null
        }
    }

    static func subtract(_ left: JSONValue, _ right: JSONValue) -> JSONValue {
        guard case .number(let a) = left, case .number(let b) = right else { return .null }
        return finite(a - b)
    }

    static func multiply(_ left: JSONValue, _ right: JSONValue) -> JSONValue {
        guard case .number(let a) = left, case .number(let b) = right else { return .null }
        return finite(a * b)
    }

    /// With `wholeNumbers`, two whole numbers divide to a whole number rounded down (`7 / 2` is 3),
    /// as in Adaptive Expressions; a fraction on either side makes it an ordinary division
    /// (`7 / 2.5` is 2.8). Dividing by zero gives null.
    static func divide(_ left: JSONValue, _ right: JSONValue, wholeNumbers: Bool) -> JSONValue {
        guard case .number(let a) = left, case .number(let b) = right, b != 0 else { return .null }
        let quotient = a / b
        if wholeNumbers, a.rounded() == a, b.rounded() == b { return finite(quotient.rounded(.down)) }
        return finite(quotient)
    }

    /// The remainder with the sign of the dividend (`-7 % 3` is -1). Modulo zero gives null.
    static func modulo(_ left: JSONValue, _ right: JSONValue) -> JSONValue {
        guard case .number(let a) = left, case .number(let b) = right, b != 0 else { return .null }
        return finite(a.truncatingRemainder(dividingBy: b))
    }

    /// `max`/`min` over the arguments, or over the items of a single array argument.
    static func extreme(_ arguments: [JSONValue], greatest: Bool) -> JSONValue {
        var values = arguments
        if values.count == 1, case .array(let items) = values[0] { values = items }
        var best: Double?
        for value in values {
            guard case .number(let number) = value else { return .null }
            if let current = best {
                best = greatest ? Swift.max(current, number) : Swift.min(current, number)
            } else {
                best = number
            }
        }
        return best.map(JSONValue.number) ?? .null
    }

    /// `round(number, digits?)`: half away from zero on the decimal value as written
    /// (`round(2.5)` is 3, `round(1.005, 2)` is 1.01). `digits` must be a whole number 0...15.
    static func round(_ value: JSONValue, digits: JSONValue?) -> JSONValue {
        guard case .number(let number) = value, number.isFinite else { return .null }
        var places = 0
        if let digits {
            guard case .number(let count) = digits, count.rounded() == count, count >= 0, count <= 15 else { return .null }
            places = Int(count)
        }
        let decimal = DecimalNumber.rounding(number, places: places)
        return Double(decimal.plainText(places: places)).map(JSONValue.number) ?? .null
    }

    private static func finite(_ number: Double) -> JSONValue {
        number.isFinite ? .number(number) : .null
    }
}
