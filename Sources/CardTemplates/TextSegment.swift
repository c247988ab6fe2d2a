/// One piece of an interpolated string.
enum TextSegment: Sendable {
    case literal(String)
    case binding(ExpressionNode)
}
