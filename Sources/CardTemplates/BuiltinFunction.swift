/// The prebuilt Adaptive Expressions functions this engine knows. Any other name is a load-time error.
enum BuiltinFunction: String, Sendable, CaseIterable {
    // Logic
    case `if`, equals, not, and, or, exists, empty, coalesce
    // Collections and strings
    case count, length, concat, join, first, last, take, skip, contains, indexOf
    // Text
    case toUpper, toLower, trim, substring, replace, startsWith, endsWith
    // Conversions and formatting
    case string, int, float, bool, formatNumber, formatDateTime
    // Arithmetic
    case add, sub, mul, div, mod, max, min, round

    /// How many arguments the function accepts; checked when the template is compiled.
    var arity: ClosedRange<Int> {
        switch self {
        case .if: 3...3
        case .equals, .startsWith, .endsWith, .contains, .indexOf, .take, .skip: 2...2
        case .not, .exists, .empty, .count, .length, .first, .last, .toUpper, .toLower, .trim,
             .string, .int, .float, .bool: 1...1
        case .and, .or, .add, .sub, .mul, .div: 2...Int.max
        case .coalesce, .concat, .max, .min: 1...Int.max
        case .join, .substring: 2...3
        case .replace: 3...3
        case .formatNumber: 2...3
        case .formatDateTime: 1...3
        case .mod: 2...2
        case .round: 1...2
        }
    }

    /// The arity in words, for error messages.
    var arityDescription: String {
        let range = arity
        if range.lowerBound == range.upperBound { return range.lowerBound == 1 ? "1 argument" : "\(range.lowerBound) arguments" }
        if range.upperBound == Int.max { return "at least \(range.lowerBound) argument\(range.lowerBound == 1 ? "" : "s")" }
        return "\(range.lowerBound) to \(range.upperBound) arguments"
    }
}
