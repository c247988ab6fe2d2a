import JSON

/// Parses expression tokens into an ``ExpressionNode`` by precedence climbing:
/// `||` < `&&` < `== !=` < `< <= > >=` < `+ - &` < `* / %` < unary `! -` < postfix `.x [i]`.
struct ExpressionParser {
    private let tokens: [ExpressionToken]
    private var position = 0
    /// Brackets, calls and unary operators open around the current token.
    private var depth = 0

    /// The deepest nesting an expression may have. The parser and the evaluator recurse once per
    /// level, so a template of `((((…` must be refused, not overflow the stack when it is loaded.
    static let maxDepth = 64
    /// The most tokens in one expression: a chain like `a + a + …` nests one level per operator.
    static let maxTokens = 1_000

    private init(_ tokens: [ExpressionToken]) {
        self.tokens = tokens
    }

    /// The compiled tree of `text`, which must be one complete expression.
    static func parse(_ text: String) throws(ExpressionSyntaxError) -> ExpressionNode {
        var parser = ExpressionParser(try ExpressionLexer.tokens(of: text))
        if parser.current.kind == .end { throw ExpressionSyntaxError(column: 1, message: "empty expression") }
        if parser.tokens.count > maxTokens + 1 {
            throw ExpressionSyntaxError(column: 1, message: "more than \(maxTokens) tokens in one expression; split it")
        }
        let node = try parser.orExpression()
        guard parser.current.kind == .end else { throw parser.unexpected() }
        return node
    }

    private var current: ExpressionToken { tokens[position] }

    private func isSymbol(_ symbol: String) -> Bool { current.kind == .symbol(symbol) }

    /// One level deeper; refused past ``maxDepth``. Each call is paired with `depth -= 1`.
    private mutating func enter() throws(ExpressionSyntaxError) {
        depth += 1
        guard depth <= Self.maxDepth else {
            throw ExpressionSyntaxError(column: current.offset + 1, message: "nested more than \(Self.maxDepth) deep")
        }
    }

    private mutating func expect(_ symbol: String) throws(ExpressionSyntaxError) {
        guard isSymbol(symbol) else { throw unexpected(expecting: "'\(symbol)'") }
        position += 1
    }

    private func unexpected(expecting: String? = nil) -> ExpressionSyntaxError {
        let found: String
        switch current.kind {
        case .end: found = "end of expression"
        case .number(let number, _): found = "number \(JSONWriter.format(number))"
        case .string: found = "string"
        case .identifier(let name): found = "'\(name)'"
        case .symbol(let symbol): found = "'\(symbol)'"
        }
        let message = expecting.map { "expected \($0) but found \(found)" } ?? "unexpected \(found)"
        return ExpressionSyntaxError(column: current.offset + 1, message: message)
    }

    private mutating func orExpression() throws(ExpressionSyntaxError) -> ExpressionNode {
        var left = try andExpression()
        while isSymbol("||") {
            position += 1
            left = .or(left, try andExpression())
        }
        return left
    }

    private mutating func andExpression() throws(ExpressionSyntaxError) -> ExpressionNode {
        var left = try binary(minimumPrecedence: 2)
        while isSymbol("&&") {
            position += 1
            left = .and(left, try binary(minimumPrecedence: 2))
        }
        return left
    }

    /// Left-associative binary operators at `minimumPrecedence` or tighter.
    private mutating func binary(minimumPrecedence: Int) throws(ExpressionSyntaxError) -> ExpressionNode {
        var left = try unary()
        while case .symbol(let symbol) = current.kind, let op = BinaryOperator(rawValue: symbol), op.precedence >= minimumPrecedence {
            position += 1
            let right = try binary(minimumPrecedence: op.precedence + 1)
            left = .binary(op, left, right)
        }
        return left
    }

    private mutating func unary() throws(ExpressionSyntaxError) -> ExpressionNode {
        try enter()
        defer { depth -= 1 }
        if isSymbol("!") {
            position += 1
            return .not(try unary())
        }
        if isSymbol("-") {
            position += 1
            let operand = try unary()
            if case .literal(.number(let number)) = operand { return .literal(.number(-number)) }
            if case .decimal(let number) = operand { return .decimal(-number) }
            return .negate(operand)
        }
        if isSymbol("+") {
            position += 1
            return try unary()
        }
        return try postfix(try primary())
    }

    private mutating func postfix(_ base: ExpressionNode) throws(ExpressionSyntaxError) -> ExpressionNode {
        var node = base
        while true {
            if isSymbol(".") {
                position += 1
                guard case .identifier(let name) = current.kind else { throw unexpected(expecting: "a property name") }
                position += 1
                node = .member(node, name)
            } else if isSymbol("[") {
                position += 1
                let key = try orExpression()
                try expect("]")
                // A constant string key is a plain member lookup; keeping it as one is faster.
                if case .literal(.string(let name)) = key { node = .member(node, name) } else { node = .element(node, key) }
            } else {
                return node
            }
        }
    }

    private mutating func primary() throws(ExpressionSyntaxError) -> ExpressionNode {
        let token = current
        switch token.kind {
        case .number(let number, let decimal):
            position += 1
            return decimal ? .decimal(number) : .literal(.number(number))
        case .string(let text):
            position += 1
            return .literal(.string(text))
        case .symbol("("):
            position += 1
            let inner = try orExpression()
            try expect(")")
            return inner
        case .identifier(let name):
            position += 1
            if isSymbol("(") { return try call(name, at: token.offset) }
            switch name {
            case "true": return .literal(.bool(true))
            case "false": return .literal(.bool(false))
            case "null", "undefined": return .literal(.null)
            case "$data", "$this": return .data
            case "$root": return .root
            case "$index": return .index
            case _ where name.hasPrefix("$"):
                // `$host`, `$_acTemplateVersion`: the Designer has them, this engine does not, and a
                // member of that name would render null without a word.
                throw ExpressionSyntaxError(column: token.offset + 1, message:
                    "'\(name)' is not supported: the names starting with '$' are $data, $this, $root and $index")
            default: return .member(.data, name)
            }
        default:
            throw unexpected(expecting: "a value")
        }
    }

    private mutating func call(_ name: String, at offset: Int) throws(ExpressionSyntaxError) -> ExpressionNode {
        guard let function = BuiltinFunction(rawValue: name) else {
            throw ExpressionSyntaxError(column: offset + 1, message: "unknown function '\(name)'")
        }
        try expect("(")
        var arguments: [ExpressionNode] = []
        if !isSymbol(")") {
            arguments.append(try orExpression())
            while isSymbol(",") {
                position += 1
                arguments.append(try orExpression())
            }
        }
        try expect(")")
        guard function.arity.contains(arguments.count) else {
            throw ExpressionSyntaxError(column: offset + 1, message: "'\(name)' takes \(function.arityDescription), not \(arguments.count)")
        }
        return .call(function, arguments)
    }
}
