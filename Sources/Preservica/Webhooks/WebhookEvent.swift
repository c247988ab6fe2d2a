/// One entity named in a Preservica webhook notification.
public struct WebhookEvent: Sendable, Equatable, Codable {
    /// The event name, e.g. `FullTextIndexed`; only that one has been seen, so nothing keys on it.
    public var event: String
    /// `IO` (asset), `SO` (folder) or `CO` (content object).
    public var entityType: String
    /// The entity's reference (a UUID).
    public var entityRef: String
    /// Identifiers sent when the subscription has `includeIdentifiers`, as type/value pairs; nil when
    /// the event has no `identifiers` field (then they must be fetched), empty when it has none.
    public var identifiers: [WebhookIdentifier]?

    /// Creates an event.
    public init(event: String, entityType: String, entityRef: String, identifiers: [WebhookIdentifier]? = nil) {
        self.event = event
        self.entityType = entityType
        self.entityRef = entityRef
        self.identifiers = identifiers
    }
}

/// One identifier of an entity. Preservica's element shape is undocumented, so both
/// `{"type": t, "value": v}` and `{t: v}` are read into this form.
public struct WebhookIdentifier: Sendable, Equatable, Codable {
    /// The identifier type, e.g. `BatchId`.
    public var type: String
    /// Its value.
    public var value: String

    /// Creates an identifier.
    public init(type: String, value: String) {
        self.type = type
        self.value = value
    }
}
