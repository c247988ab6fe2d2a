/// The words a card uses for each trigger.
public enum TriggerLabel {
    /// "Ingested", "Moved", "Security changed", "Ingest failed", "Visibility changed", or the
    /// wire value itself for a trigger Preservica adds later.
    public static func label(for trigger: String) -> String {
        switch trigger {
        case "FULL_TEXT_INDEXED": "Ingested"
        case "MOVED": "Moved"
        case "CHANGED_SECURITY_DESCRIPTOR": "Security changed"
        case "INGEST_FAILED": "Ingest failed"
        case "CHANGE_ASSET_VISIBILITY": "Visibility changed"
        default: trigger
        }
    }
}
