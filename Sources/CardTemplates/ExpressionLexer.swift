/// Splits expression text into tokens. Works on Unicode scalars so error columns match what an
/// author counts in their editor for ordinary text.
struct ExpressionLexer {
    private let scalars: [Unicode.Scalar]
    private var position = 0

    init(_ text: String) {
        scalars = Array(text.unicodeScalars)
    }

    /// All tokens, ending with `.end`.
    static func tokens(of text: String) throws(ExpressionSyntaxError) -> [ExpressionToken] {
        var lexer = ExpressionLexer(text)
        var tokens: [ExpressionToken] = []
        while true {
            let token = try lexer.next()
            tokens.append(token)
            if token.kind == .end { return tokens }
        }
    }

    private static let twoCharacterSymbols: Set<String> = ["==", "!=", "<=", ">=", "&&", "||", "<>"]
    private static let oneCharacterSymbols: Set<Unicode.Scalar> = [
        ".", ",", "(", ")", "[", "]", "+", "-", "*", "/", "%", "!", "<", ">", "&",
    ]

    private mutating func next() throws(ExpressionSyntaxError) -> ExpressionToken {
        while position < scalars.count, scalars[position].properties.isWhitespace { position += 1 }
        let start = position
        guard position < scalars.count else { return ExpressionToken(kind: .end, offset: start) }
        let scalar = scalars[position]
        if isDigit(scalar) {
            let value = try number()
            let decimal = scalars[start..<position].contains { $0 == "." || $0 == "e" || $0 == "E" }
            return ExpressionToken(kind: .number(value, decimal: decimal), offset: start)
        }
        if scalar == "'" || scalar == "\"" { return ExpressionToken(kind: .string(try string(quote: scalar)), offset: start) }
        if isIdentifierStart(scalar) {
            var name = ""
            while position < scalars.count, isIdentifierPart(scalars[position]) {
                name.unicodeScalars.append(scalars[position])
                position += 1
            }
            return ExpressionToken(kind: .identifier(name), offset: start)
        }
        if position + 1 < scalars.count {
            var pair = String(scalar)
            pair.unicodeScalars.append(scalars[position + 1])
            if Self.twoCharacterSymbols.contains(pair) {
                position += 2
                return ExpressionToken(kind: .symbol(pair == "<>" ? "!=" : pair), offset: start)
            }
        }
        if Self.oneCharacterSymbols.contains(scalar) {
            position += 1
            return ExpressionToken(kind: .symbol(String(scalar)), offset: start)
        }
        if scalar == "=" {
            throw ExpressionSyntaxError(column: start + 1, message: "'=' is not an operator; use '==' to compare")
        }
        throw ExpressionSyntaxError(column: start + 1, message: "unexpected character '\(scalar)'")
    }

    private func isDigit(_ scalar: Unicode.Scalar) -> Bool { scalar >= "0" && scalar <= "9" }

    private func isIdentifierStart(_ scalar: Unicode.Scalar) -> Bool {
        (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z") || scalar == "_" || scalar == "$" || scalar == "@"
    }

    private func isIdentifierPart(_ scalar: Unicode.Scalar) -> Bool { isIdentifierStart(scalar) || isDigit(scalar) }

    /// Digits, an optional fraction and an optional exponent. A leading `-` is the unary operator.
    private mutating func number() throws(ExpressionSyntaxError) -> Double {
        let start = position
        var text = ""
        func take(_ lexer: inout ExpressionLexer, into text: inout String) {
            text.unicodeScalars.append(lexer.scalars[lexer.position])
            lexer.position += 1
        }
        while position < scalars.count, isDigit(scalars[position]) { take(&self, into: &text) }
        if position + 1 < scalars.count, scalars[position] == ".", isDigit(scalars[position + 1]) {
            take(&self, into: &text)
            while position < scalars.count, isDigit(scalars[position]) { take(&self, into: &text) }
        }
        if position < scalars.count, scalars[position] == "e" || scalars[position] == "E" {
            var lookahead = position + 1
            if lookahead < scalars.count, scalars[lookahead] == "+" || scalars[lookahead] == "-" { lookahead += 1 }
            if lookahead < scalars.count, isDigit(scalars[lookahead]) {
                while position < lookahead { take(&self, into: &text) }
                while position < scalars.count, isDigit(scalars[position]) { take(&self, into: &text) }
            }
        }
        if position < scalars.count, isIdentifierStart(scalars[position]) {
            throw ExpressionSyntaxError(column: position + 1, message: "unexpected character '\(scalars[position])' after a number")
        }
        guard let value = Double(text), value.isFinite else {
            throw ExpressionSyntaxError(column: start + 1, message: "number '\(text)' is out of range")
        }
        return value
    }

    /// A quoted string; `\` escapes the next character (`\n`, `\t`, `\r`, `\uXXXX` have their usual meaning).
    private mutating func string(quote: Unicode.Scalar) throws(ExpressionSyntaxError) -> String {
        let start = position
        position += 1
        var text = ""
        while position < scalars.count {
            let scalar = scalars[position]
            position += 1
            if scalar == quote { return text }
            guard scalar == "\\" else {
                text.unicodeScalars.append(scalar)
                continue
            }
            guard position < scalars.count else { break }
            let escaped = scalars[position]
            position += 1
            switch escaped {
            case "n": text += "\n"
            case "t": text += "\t"
            case "r": text += "\r"
            case "u":
                var code: UInt32 = 0
                for _ in 0..<4 {
                    guard position < scalars.count, let digit = hexValue(scalars[position]) else {
                        throw ExpressionSyntaxError(column: position + 1, message: "'\\u' needs four hex digits")
                    }
                    code = code * 16 + digit
                    position += 1
                }
                guard let decoded = Unicode.Scalar(code) else {
                    throw ExpressionSyntaxError(column: position - 5, message: "'\\u' escape is not a character")
                }
                text.unicodeScalars.append(decoded)
            default: text.unicodeScalars.append(escaped)
            }
        }
        throw ExpressionSyntaxError(column: start + 1, message: "unterminated string")
    }

    private func hexValue(_ scalar: Unicode.Scalar) -> UInt32? {
        switch scalar {
        case "0"..."9": scalar.value - 48
        case "a"..."f": scalar.value - 87
        case "A"..."F": scalar.value - 55
        default: nil
        }
    }
}
