import JSON

/// One compiled Adaptive Expressions expression (the text inside `${…}`), reusable and thread-safe.
///
/// ```swift
/// let size = try TemplateExpression("formatNumber(asset.totalSize / 1024, 1) + ' KB'")
/// size.evaluate(in: ExpressionScope(data: data))
/// ```
public struct TemplateExpression: Sendable {
    /// The source text.
    public let text: String
    let node: ExpressionNode

    /// Compiles `text`; syntax errors, unknown functions and wrong argument counts are thrown here.
    public init(_ text: String) throws(ExpressionSyntaxError) {
        self.text = text
        node = try ExpressionParser.parse(text)
    }

    /// The value in `scope`. Never fails: undefined paths and mismatched types give null.
    public func evaluate(in scope: ExpressionScope) -> JSONValue {
        node.evaluate(scope)
    }
}
