/// Why an expression could not be compiled, and where.
public struct ExpressionSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 1-based column inside the expression text (counted in Unicode scalars).
    public var column: Int
    /// What is wrong, in a few words.
    public var message: String

    /// An error at `column` (1-based) with `message`.
    public init(column: Int, message: String) {
        self.column = column
        self.message = message
    }

    /// `column C: message`.
    public var description: String { "column \(column): \(message)" }
}
