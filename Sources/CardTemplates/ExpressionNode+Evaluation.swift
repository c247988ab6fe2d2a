import JSON

extension ExpressionNode {
    /// The value of the expression in `scope`. Never fails: undefined paths and type mismatches
    /// give null, as documented in docs/templates-language.md.
    func evaluate(_ scope: ExpressionScope) -> JSONValue {
        switch self {
        case .literal(let value): return value
        case .decimal(let number): return .number(number)
        case .data: return scope.data
        case .root: return scope.root
        case .index: return scope.index.map { .number(Double($0)) } ?? .null
        case .member(let base, let name): return base.evaluate(scope).member(name)
        case .element(let base, let key): return base.evaluate(scope).element(key.evaluate(scope))
        case .negate(let operand):
            if case .number(let number) = operand.evaluate(scope) { return .number(-number) }
            return .null
        case .not(let operand): return .bool(!operand.evaluate(scope).isTruthy)
        case .binary(.divide, let left, let right):
            let ordinary = left.isDecimalLiteral || right.isDecimalLiteral
            return Arithmetic.divide(left.evaluate(scope), right.evaluate(scope), wholeNumbers: !ordinary)
        case .binary(let op, let left, let right): return op.apply(left.evaluate(scope), right.evaluate(scope))
        case .and(let left, let right): return .bool(left.evaluate(scope).isTruthy && right.evaluate(scope).isTruthy)
        case .or(let left, let right): return .bool(left.evaluate(scope).isTruthy || right.evaluate(scope).isTruthy)
        case .call(let function, let arguments): return function.call(arguments, in: scope)
        }
    }
}
