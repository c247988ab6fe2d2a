import Foundation

/// The body of a notification POST: compact JSON with the key order of the one published example
/// (reference §1.5): subscriptionId, timestamp, tenant, version, events, trigger.
public enum NotificationBody {
    /// The body bytes exactly as they are signed and sent.
    public static func make(subscriptionId: String, timestamp: String = now(), tenant: String, version: String,
                            trigger: String, events: [NotificationEvent]) -> [UInt8] {
        let items = events.map { event in
            let identifiers = event.identifiers
                .map { #"{"type":\#(JSONText.quoted($0.type)),"value":\#(JSONText.quoted($0.value))}"# }
                .joined(separator: ",")
            return #"{"event":\#(JSONText.quoted(event.event)),"entityType":\#(JSONText.quoted(event.entityType)),"#
                + #""entityRef":\#(JSONText.quoted(event.entityRef)),"identifiers":[\#(identifiers)]}"#
        }
        let text = #"{"subscriptionId":\#(JSONText.quoted(subscriptionId)),"timestamp":\#(JSONText.quoted(timestamp)),"#
            + #""tenant":\#(JSONText.quoted(tenant)),"version":\#(JSONText.quoted(version)),"#
            + #""events":[\#(items.joined(separator: ","))],"trigger":\#(JSONText.quoted(trigger))}"#
        return Array(text.utf8)
    }

    /// The current time as Preservica writes it: milliseconds, no zone suffix (UTC here).
    public static func now() -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss.SSS"
        return formatter.string(from: Date())
    }
}
