/// Preservica's webhook trigger types: wire values, and the short aliases the command line accepts.
public enum TriggerType: String, Sendable, CaseIterable {
    /// End of ingest, after full-text indexing: "an asset was ingested".
    case ingested = "FULL_TEXT_INDEXED"
    /// An entity was moved.
    case moved = "MOVED"
    /// An entity's security tag changed.
    case securityChanged = "CHANGED_SECURITY_DESCRIPTOR"
    /// An ingest failed.
    case ingestFailed = "INGEST_FAILED"
    /// An asset's visibility changed.
    case visibilityChanged = "CHANGE_ASSET_VISIBILITY"

    /// The short name: `ingest`, `moved`, `security`, `failed`, `visibility`.
    public var alias: String {
        switch self {
        case .ingested: "ingest"
        case .moved: "moved"
        case .securityChanged: "security"
        case .ingestFailed: "failed"
        case .visibilityChanged: "visibility"
        }
    }

    /// A trigger from its wire value or alias (case-insensitive).
    public init?(text: String) {
        let wanted = text.uppercased()
        guard let match = Self.allCases.first(where: { $0.rawValue == wanted || $0.alias.uppercased() == wanted }) else {
            return nil
        }
        self = match
    }
}
