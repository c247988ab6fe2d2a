import JSON

/// A compiled expression: a small tree evaluated directly, so rendering never re-parses text.
indirect enum ExpressionNode: Sendable {
    case literal(JSONValue)
    /// A number literal written with a point or exponent (`1024.0`): as in .NET, it makes `/` and
    /// `div` an ordinary division even when both values are whole.
    case decimal(Double)
    /// `$data`: the current data context.
    case data
    /// `$root`: the data the template is rendered with.
    case root
    /// `$index`: the index of the innermost repeated item (null outside a repeat).
    case index
    /// `base.name` (and bare `name`, which is `$data.name`).
    case member(ExpressionNode, String)
    /// `base[key]`: an array index or an object key computed at render time.
    case element(ExpressionNode, ExpressionNode)
    case negate(ExpressionNode)
    case not(ExpressionNode)
    case binary(BinaryOperator, ExpressionNode, ExpressionNode)
    /// `&&` and `||` get their own cases because they only evaluate the right side when needed.
    case and(ExpressionNode, ExpressionNode)
    case or(ExpressionNode, ExpressionNode)
    case call(BuiltinFunction, [ExpressionNode])

    /// Whether this is a number literal written with a point or exponent.
    var isDecimalLiteral: Bool {
        if case .decimal = self { return true }
        return false
    }
}
