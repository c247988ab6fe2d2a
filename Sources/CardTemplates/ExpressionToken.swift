/// One lexical token of an expression, with the 0-based scalar offset it starts at.
struct ExpressionToken: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        case number(Double)
        case string(String)
        case identifier(String)
        /// Punctuation and operators, spelled as in the source (`.`, `(`, `==`, `&&`...).
        case symbol(String)
        case end
    }

    var kind: Kind
    var offset: Int
}
