/// One entry of a folder's children list: a folder (`SO`) or an asset (`IO`).
public struct EntityChild: Sendable, Equatable {
    /// The entity's reference.
    public var ref: String
    /// Its title.
    public var title: String
    /// `SO` for a folder, `IO` for an asset.
    public var type: String

    /// Creates an entry.
    public init(ref: String, title: String, type: String) {
        self.ref = ref
        self.title = title
        self.type = type
    }
}
