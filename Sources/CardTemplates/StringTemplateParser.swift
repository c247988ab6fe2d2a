/// Splits a JSON string value into literal text and `${…}` bindings, and compiles each binding.
enum StringTemplateParser {
    /// The compiled node for `text`: a constant when it has no binding, a typed binding when it is
    /// exactly one `${…}`, interpolated text otherwise. Errors carry the 1-based column in `text`.
    static func compile(_ text: String) throws(ExpressionSyntaxError) -> TemplateNode {
        let scalars = Array(text.unicodeScalars)
        var segments: [TextSegment] = []
        var literal = ""
        var position = 0
        while position < scalars.count {
            guard scalars[position] == "$", position + 1 < scalars.count, scalars[position + 1] == "{" else {
                literal.unicodeScalars.append(scalars[position])
                position += 1
                continue
            }
            let expressionStart = position + 2
            let end = try closingBrace(in: scalars, from: expressionStart, bindingStart: position)
            var source = ""
            source.unicodeScalars.append(contentsOf: scalars[expressionStart..<end])
            let node: ExpressionNode
            do {
                node = try ExpressionParser.parse(source)
            } catch {
                throw ExpressionSyntaxError(column: expressionStart + error.column, message: error.message)
            }
            if !literal.isEmpty {
                segments.append(.literal(literal))
                literal = ""
            }
            segments.append(.binding(node))
            position = end + 1
        }
        if !literal.isEmpty { segments.append(.literal(literal)) }
        switch segments.count {
        case 0: return .constant(.string(text))
        case 1:
            if case .binding(let node) = segments[0] { return .binding(node) }
            return .constant(.string(text))
        default: return .text(segments)
        }
    }

    /// The index of the `}` that closes a binding, skipping braces inside quoted strings.
    private static func closingBrace(
        in scalars: [Unicode.Scalar], from start: Int, bindingStart: Int
    ) throws(ExpressionSyntaxError) -> Int {
        var depth = 0
        var quote: Unicode.Scalar?
        var quoteStart = 0
        var position = start
        while position < scalars.count {
            let scalar = scalars[position]
            if let open = quote {
                if scalar == "\\" { position += 1 } else if scalar == open { quote = nil }
            } else if scalar == "'" || scalar == "\"" {
                quote = scalar
                quoteStart = position
            } else if scalar == "{" {
                depth += 1
            } else if scalar == "}" {
                if depth == 0 { return position }
                depth -= 1
            }
            position += 1
        }
        // A quote left open swallowed the closing brace: point at the quote, the likelier mistake.
        if quote != nil { throw ExpressionSyntaxError(column: quoteStart + 1, message: "unterminated string") }
        throw ExpressionSyntaxError(column: bindingStart + 1, message: "'${' without a closing '}'")
    }
}
