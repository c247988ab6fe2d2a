import JSON

/// Turns a template's JSON into a ``TemplateNode`` tree, compiling every binding once and
/// reporting the first error with its JSON path.
struct TemplateCompiler {
    let templateName: String

    func compile(_ value: JSONValue, at path: TemplatePath = TemplatePath()) throws(TemplateError) -> TemplateNode {
        switch value {
        case .null, .bool, .number: return .constant(value)
        case .string(let text):
            do {
                return try StringTemplateParser.compile(text)
            } catch {
                throw TemplateError(template: templateName, jsonPath: path.description, column: error.column, message: error.message)
            }
        case .array(let items):
            var nodes: [TemplateNode] = []
            nodes.reserveCapacity(items.count)
            for (index, item) in items.enumerated() { nodes.append(try compile(item, at: path.appending(index: index))) }
            return nodes.allSatisfy(\.isConstant) ? .constant(value) : .array(nodes)
        case .object(let object):
            var data: TemplateNode?
            var when: TemplateNode?
            var members: [(key: String, value: TemplateNode)] = []
            for (key, member) in object {
                let node = try compile(member, at: path.appending(key: key))
                switch key {
                case "$data": data = node
                case "$when":
                    // Anything but one binding or a boolean would always be true (a non-empty
                    // string) and hide a mistake such as "$when": "x > 1".
                    switch node {
                    case .binding, .constant(.bool): when = node
                    default:
                        throw TemplateError(
                            template: templateName, jsonPath: path.appending(key: key).description, column: 1,
                            message: "$when must be a single binding such as \"${x > 1}\", or true or false"
                        )
                    }
                default: members.append((key, node))
                }
            }
            if data == nil, when == nil, members.allSatisfy({ $0.value.isConstant }) {
                return .constant(value)
            }
            return .object(ObjectTemplate(data: data, when: when, members: members))
        }
    }
}
