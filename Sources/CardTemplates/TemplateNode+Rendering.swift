import JSON

extension TemplateNode {
    /// The rendered value, or nil when an object was dropped by `$when`. An object repeated by an
    /// array `$data` outside an array becomes an array.
    func render(_ scope: ExpressionScope) -> JSONValue? {
        switch self {
        case .constant(let value): return value
        case .binding(let expression): return expression.evaluate(scope)
        case .text(let segments):
            var text = ""
            for segment in segments {
                switch segment {
                case .literal(let literal): text += literal
                case .binding(let expression): text += expression.evaluate(scope).interpolationText
                }
            }
            return .string(text)
        case .array(let nodes):
            var items: [JSONValue] = []
            items.reserveCapacity(nodes.count)
            for node in nodes { node.render(scope, into: &items) }
            return .array(items)
        case .object(let template):
            switch template.expand(scope) {
            case .dropped: return nil
            case .single(let value): return value
            case .repeated(let values): return .array(values)
            }
        }
    }

    /// Renders an array item: repeated objects are spliced in, dropped ones leave no hole.
    func render(_ scope: ExpressionScope, into items: inout [JSONValue]) {
        if case .object(let template) = self {
            switch template.expand(scope) {
            case .dropped: break
            case .single(let value): items.append(value)
            case .repeated(let values): items.append(contentsOf: values)
            }
        } else if let value = render(scope) {
            items.append(value)
        }
    }
}
