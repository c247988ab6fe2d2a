import JSON

extension BuiltinFunction {
    /// Calls the function. `if`, `and`, `or` and `coalesce` evaluate their arguments lazily; `div`
    /// checks its argument nodes for decimal literals; the others evaluate all arguments first.
    func call(_ arguments: [ExpressionNode], in scope: ExpressionScope) -> JSONValue {
        switch self {
        case .if:
            return arguments[0].evaluate(scope).isTruthy ? arguments[1].evaluate(scope) : arguments[2].evaluate(scope)
        case .and:
            return .bool(arguments.allSatisfy { $0.evaluate(scope).isTruthy })
        case .or:
            return .bool(arguments.contains { $0.evaluate(scope).isTruthy })
        case .coalesce:
            for argument in arguments {
                let value = argument.evaluate(scope)
                if value != .null { return value }
            }
            return .null
        case .div:
            let wholeNumbers = !arguments.contains(where: \.isDecimalLiteral)
            let values = arguments.map { $0.evaluate(scope) }
            return values.dropFirst().reduce(values[0]) { Arithmetic.divide($0, $1, wholeNumbers: wholeNumbers) }
        default:
            return apply(arguments.map { $0.evaluate(scope) })
        }
    }

    /// The eager functions over already evaluated arguments (arity was checked at compile time).
    private func apply(_ a: [JSONValue]) -> JSONValue {
        switch self {
        case .if, .and, .or, .coalesce, .div: return .null  // handled in call(_:in:)
        case .equals: return .bool(a[0] == a[1])
        case .not: return .bool(!a[0].isTruthy)
        case .exists: return .bool(a[0] != .null)
        case .empty: return .bool(CollectionFunctions.isEmpty(a[0]))
        case .count: return CollectionFunctions.count(a[0])
        case .length: return CollectionFunctions.length(a[0])
        case .concat: return CollectionFunctions.concat(a)
        case .join: return CollectionFunctions.join(a[0], separator: a[1], lastSeparator: a.count > 2 ? a[2] : nil)
        case .first: return CollectionFunctions.first(a[0])
        case .last: return CollectionFunctions.last(a[0])
        case .take: return CollectionFunctions.take(a[0], a[1])
        case .skip: return CollectionFunctions.skip(a[0], a[1])
        case .contains: return CollectionFunctions.contains(a[0], a[1])
        case .indexOf: return CollectionFunctions.indexOf(a[0], a[1])
        case .toUpper: return TextFunctions.upper(a[0])
        case .toLower: return TextFunctions.lower(a[0])
        case .trim: return TextFunctions.trim(a[0])
        case .substring: return TextFunctions.substring(a[0], a[1], a.count > 2 ? a[2] : nil)
        case .replace: return TextFunctions.replace(a[0], a[1], a[2])
        case .startsWith: return TextFunctions.startsWith(a[0], a[1])
        case .endsWith: return TextFunctions.endsWith(a[0], a[1])
        case .string: return .string(a[0].interpolationText)
        case .int: return Conversions.int(a[0])
        case .float: return Conversions.float(a[0])
        case .bool: return Conversions.bool(a[0])
        case .formatNumber: return NumberFormat.format(a[0], precision: a[1], locale: a.count > 2 ? a[2] : nil)
        case .formatDateTime: return DateTimeFormat.format(a[0], format: a.count > 1 ? a[1] : nil)
        case .add: return a.dropFirst().reduce(a[0], Arithmetic.add)
        case .sub: return a.dropFirst().reduce(a[0], Arithmetic.subtract)
        case .mul: return a.dropFirst().reduce(a[0], Arithmetic.multiply)
        case .mod: return Arithmetic.modulo(a[0], a[1])
        case .max: return Arithmetic.extreme(a, greatest: true)
        case .min: return Arithmetic.extreme(a, greatest: false)
        case .round: return Arithmetic.round(a[0], digits: a.count > 1 ? a[1] : nil)
        }
    }
}
