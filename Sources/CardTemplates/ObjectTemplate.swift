import JSON

/// A compiled JSON object: its members, and the `$data` and `$when` that control it (both
/// removed from the output).
///
/// A class so that walking the tree at render time shares one reference instead of copying
/// every field.
final class ObjectTemplate: Sendable {
    /// `$data`: rebinds the data context; an array repeats the object once per item.
    let data: TemplateNode?
    /// `$when`: the object is dropped unless this is true in the object's own data context.
    let when: TemplateNode?
    /// The members as an object with the constant values already in place (null where a value
    /// depends on the data). Rendering copies it once and overwrites the rest in place, which is
    /// much cheaper than building the object member by member.
    let prototype: JSONObject
    /// Keys of the members that depend on the data, in order, and their templates.
    let dynamicKeys: [String]
    let dynamicValues: [TemplateNode]
    /// Where each dynamic key sits in ``prototype``, so rendering sets values by position.
    let dynamicIndices: [Int]

    init(data: TemplateNode?, when: TemplateNode?, members: [(key: String, value: TemplateNode)]) {
        self.data = data
        self.when = when
        var prototype = JSONObject()
        var dynamicKeys: [String] = []
        var dynamicValues: [TemplateNode] = []
        for (key, node) in members {
            if case .constant(let value) = node {
                prototype.append(key, value)
            } else {
                prototype.append(key, .null)
                dynamicKeys.append(key)
                dynamicValues.append(node)
            }
        }
        self.prototype = prototype
        self.dynamicKeys = dynamicKeys
        self.dynamicValues = dynamicValues
        self.dynamicIndices = dynamicKeys.map { prototype.index(of: $0) ?? 0 }
    }
}
