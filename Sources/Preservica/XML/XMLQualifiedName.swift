/// A name as written in a tag or attribute: an optional prefix, a colon, and the local name.
struct XMLQualifiedName: Hashable {
    /// The prefix before the colon, nil when the name has none.
    let prefix: String?
    /// The name after the colon (the whole name when there is no prefix).
    let local: String

    /// The name as written, `prefix:local` or `local`.
    var qualified: String { prefix.map { $0 + ":" + local } ?? local }
}
