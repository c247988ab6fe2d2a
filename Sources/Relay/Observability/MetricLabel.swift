import Preservica

/// Label values built from input. A notification can carry any trigger string, and a label value
/// is a time series kept for the life of the process, so a value from outside is reduced to one of
/// a known few before it becomes a label.
public enum MetricLabel {
    /// The trigger's wire value when it is one of Preservica's known triggers, else `other`.
    public static func trigger(_ text: String) -> String {
        TriggerType(rawValue: text)?.rawValue ?? "other"
    }
}
