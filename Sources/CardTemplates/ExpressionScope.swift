import JSON

/// What an expression can see: the current data context (`$data`, and bare names inside it),
/// the root data (`$root`) and the index of the innermost repeated item (`$index`).
public struct ExpressionScope: Sendable {
    /// The current data context; bare names such as `asset.title` are looked up in it.
    public var data: JSONValue
    /// The data the whole template was rendered with.
    public var root: JSONValue
    /// The index of the current item inside the innermost `$data` repeat, if any.
    public var index: Int?

    /// A scope over `data`; `root` defaults to `data` itself.
    public init(data: JSONValue, root: JSONValue? = nil, index: Int? = nil) {
        self.data = data
        self.root = root ?? data
        self.index = index
    }
}
