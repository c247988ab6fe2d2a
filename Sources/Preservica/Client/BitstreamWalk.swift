/// What the walk below an asset found: the bitstreams of the content objects it could read, how
/// many content objects there were, and how many could not be read, with the error that says most
/// (one that means "ask again later" before a 404).
public struct BitstreamWalk: Sendable {
    /// The bitstreams found.
    public var found: [BitstreamInfo] = []
    /// Content objects listed by the representations.
    public var contentObjects = 0
    /// Of those, the ones that could not be read.
    public var unread = 0
    /// Of those, the ones not read at all, past the client's `maxContentObjects`.
    public var unlisted = 0
    /// The asset's representations, and the ones whose document could not be read (their
    /// content objects are not counted above).
    public var representations = 0
    public var unreadRepresentations = 0
    /// Why, for one of them.
    public var firstError: PreservicaError?

    /// An empty walk.
    public init() {}

    /// Adds another representation's walk.
    mutating func add(_ other: BitstreamWalk) {
        found += other.found
        contentObjects += other.contentObjects
        unread += other.unread
        unlisted += other.unlisted
        if let error = other.firstError { note(error) }
    }

    /// Keeps `error` if it says more than the one kept.
    mutating func note(_ error: PreservicaError) {
        if firstError == nil || (error.meansUnavailable && !(firstError?.meansUnavailable ?? false)) { firstError = error }
    }
}
