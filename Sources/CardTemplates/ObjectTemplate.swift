import JSON

/// A compiled JSON object: its members, and the `$data` and `$when` that control it (both
/// removed from the output).
struct ObjectTemplate: Sendable {
    /// `$data`: rebinds the data context; an array repeats the object once per item.
    var data: TemplateNode?
    /// `$when`: the object is dropped unless this is true in the object's own data context.
    var when: TemplateNode?
    /// The other members, in order.
    var members: [(key: String, value: TemplateNode)]
}
