/// One entry of a notification's `events` array.
public struct NotificationEvent: Sendable, Equatable {
    /// The event name, e.g. `FullTextIndexed`.
    public var event: String
    /// `IO`, `SO` or `CO`.
    public var entityType: String
    /// The entity's reference.
    public var entityRef: String
    /// Identifiers, written as `{"type":...,"value":...}` objects (the real element shape is not known).
    public var identifiers: [SimulatedIdentifier]

    /// Creates an event.
    public init(event: String, entityType: String, entityRef: String, identifiers: [SimulatedIdentifier] = []) {
        self.event = event
        self.entityType = entityType
        self.entityRef = entityRef
        self.identifiers = identifiers
    }

    /// The per-event name for a trigger. Only `FullTextIndexed` has been seen on the wire; the others
    /// are inferred by analogy, which is why clients should key on the top-level `trigger`.
    public static func name(for trigger: String) -> String {
        switch trigger {
        case "FULL_TEXT_INDEXED": "FullTextIndexed"
        case "MOVED": "Moved"
        case "CHANGED_SECURITY_DESCRIPTOR": "ChangedSecurityDescriptor"
        case "INGEST_FAILED": "IngestFailed"
        case "CHANGE_ASSET_VISIBILITY": "ChangeAssetVisibility"
        default: trigger
        }
    }
}
