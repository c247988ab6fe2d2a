/// One lexical token of an expression, with the 0-based scalar offset it starts at.
struct ExpressionToken: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        /// A number literal; `decimal` when written with a point or an exponent (`1024.0`, `1e3`).
        case number(Double, decimal: Bool)
        case string(String)
        case identifier(String)
        /// Punctuation and operators, spelled as in the source (`.`, `(`, `==`, `&&`...).
        case symbol(String)
        case end
    }

    var kind: Kind
    var offset: Int
}
