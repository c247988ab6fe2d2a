import JSON

/// What an object template turns into: nothing (`$when` false), one object, or one object per
/// item of an array `$data`.
enum ObjectExpansion {
    case dropped
    case single(JSONValue)
    case repeated([JSONValue])
}

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

extension ObjectTemplate {
    /// Applies `$data` (evaluated in the parent's scope; null or undefined drops the object), then
    /// `$when` (in the object's own scope, so it filters repeated items), then renders the members.
    func expand(_ scope: ExpressionScope) -> ObjectExpansion {
        guard let dataNode = data else {
            return isShown(in: scope) ? .single(renderMembers(scope)) : .dropped
        }
        let context = dataNode.render(scope) ?? .null
        // No data, nothing to show: a repeat over a missing list must not render one empty row.
        if context == .null { return .dropped }
        if case .array(let items) = context {
            var rendered: [JSONValue] = []
            rendered.reserveCapacity(items.count)
            for (index, item) in items.enumerated() {
                let itemScope = ExpressionScope(data: item, root: scope.root, index: index)
                if isShown(in: itemScope) { rendered.append(renderMembers(itemScope)) }
            }
            return .repeated(rendered)
        }
        // A single object (or anything else) becomes the context; `$index` stays the enclosing one.
        let inner = ExpressionScope(data: context, root: scope.root, index: scope.index)
        return isShown(in: inner) ? .single(renderMembers(inner)) : .dropped
    }

    private func isShown(in scope: ExpressionScope) -> Bool {
        guard let when else { return true }
        return (when.render(scope) ?? .null).isTruthy
    }

    private func renderMembers(_ scope: ExpressionScope) -> JSONValue {
        var object = prototype
        for position in dynamicKeys.indices {
            // nil (an object dropped by `$when` or a null `$data`) removes the member.
            object[dynamicKeys[position]] = dynamicValues[position].render(scope)
        }
        return .object(object)
    }
}
