import JSON

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
        var removed: [Int] = []
        for position in dynamicKeys.indices {
            // nil (an object dropped by `$when` or a null `$data`) removes the member.
            if let value = dynamicValues[position].render(scope) {
                object.replaceValue(at: dynamicIndices[position], with: value)
            } else {
                removed.append(dynamicIndices[position])
            }
        }
        if !removed.isEmpty { object.removeMembers(at: removed) }
        return .object(object)
    }
}
