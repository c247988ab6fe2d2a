import JSON

/// The binary operators other than `&&` and `||` (which short-circuit and live in ``ExpressionNode``).
enum BinaryOperator: String, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", modulo = "%"
    /// `&`: always string concatenation, as in Adaptive Expressions.
    case concatenate = "&"
    case equal = "==", notEqual = "!="
    case less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="

    /// How tightly the operator binds; higher binds tighter.
    var precedence: Int {
        switch self {
        case .multiply, .divide, .modulo: 5
        case .add, .subtract, .concatenate: 4
        case .less, .lessOrEqual, .greater, .greaterOrEqual: 3
        case .equal, .notEqual: 2
        }
    }

    func apply(_ left: JSONValue, _ right: JSONValue) -> JSONValue {
        switch self {
        case .add: Arithmetic.add(left, right)
        case .subtract: Arithmetic.subtract(left, right)
        case .multiply: Arithmetic.multiply(left, right)
        case .divide: Arithmetic.divide(left, right, wholeNumbers: true)
        case .modulo: Arithmetic.modulo(left, right)
        case .concatenate: .string(left.interpolationText + right.interpolationText)
        case .equal: .bool(left == right)
        case .notEqual: .bool(left != right)
        case .less: .bool(Self.order(left, right).map { $0 < 0 } ?? false)
        case .lessOrEqual: .bool(Self.order(left, right).map { $0 <= 0 } ?? false)
        case .greater: .bool(Self.order(left, right).map { $0 > 0 } ?? false)
        case .greaterOrEqual: .bool(Self.order(left, right).map { $0 >= 0 } ?? false)
        }
    }

    /// -1, 0 or 1 for two numbers or two strings; nil when they cannot be ordered, which makes
    /// every comparison false (so `$when` hides the element rather than erroring).
    private static func order(_ left: JSONValue, _ right: JSONValue) -> Int? {
        switch (left, right) {
        case (.number(let a), .number(let b)): a < b ? -1 : (a == b ? 0 : 1)
        case (.string(let a), .string(let b)): a < b ? -1 : (a == b ? 0 : 1)
        default: nil
        }
    }
}
