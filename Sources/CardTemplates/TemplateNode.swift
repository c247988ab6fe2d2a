import JSON

/// A compiled piece of a template. Everything is parsed once at load time; rendering only walks
/// this tree.
enum TemplateNode: Sendable {
    /// JSON without any binding, `$data` or `$when` below it: rendered as is, without copying.
    case constant(JSONValue)
    /// A string that is exactly one `${…}`: the result keeps its JSON type.
    case binding(ExpressionNode)
    /// A string mixing text and bindings: the result is a string.
    case text([TextSegment])
    case array([TemplateNode])
    case object(ObjectTemplate)

    /// Whether this node renders to the same value whatever the data.
    var isConstant: Bool {
        if case .constant = self { return true }
        return false
    }
}
