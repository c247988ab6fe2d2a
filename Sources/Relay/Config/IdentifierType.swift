/// A catalogue identifier type cards show before Preservica's reference (`display.identifiers`),
/// and the words cards call it by: `{ type: "code", label: "Reference code" }`, or just `"code"`,
/// which cards call `code`.
public struct IdentifierType: Sendable, Equatable, ExpressibleByStringLiteral {
    /// The type as Preservica names it.
    public var type: String
    /// What cards call it; nil: the type itself.
    public var label: String?

    public init(type: String, label: String? = nil) {
        self.type = type
        self.label = label
    }

    public init(stringLiteral type: String) {
        self.init(type: type)
    }

    /// What cards call it.
    public var shownName: String { label ?? type }
}
