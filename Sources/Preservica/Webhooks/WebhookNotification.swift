import Hashing
import JSON

/// A Preservica webhook notification: one trigger and the entities it concerns.
///
/// Shape (reference §1.5): `{"subscriptionId", "timestamp", "tenant", "version", "events": [...], "trigger"}`.
public struct WebhookNotification: Sendable, Equatable, Codable {
    /// The subscription that produced it (32 hex digits).
    public var subscriptionId: String
    /// When Preservica raised it: ISO 8601 local time without a zone, e.g. `2023-10-11T10:52:42.469`.
    public var timestamp: String
    /// The tenant's short name.
    public var tenant: String
    /// Preservica's version, e.g. `7.7`.
    public var version: String
    /// The trigger's wire value, e.g. `FULL_TEXT_INDEXED`.
    public var trigger: String
    /// The entities concerned, in order.
    public var events: [WebhookEvent]

    /// Creates a notification.
    public init(subscriptionId: String, timestamp: String, tenant: String, version: String, trigger: String,
                events: [WebhookEvent]) {
        self.subscriptionId = subscriptionId
        self.timestamp = timestamp
        self.tenant = tenant
        self.version = version
        self.trigger = trigger
        self.events = events
    }

    /// Two notifications with the same key are the same delivery repeated: same subscription,
    /// trigger and timestamp, and the same entity for every event. Without a timestamp (every
    /// known payload has one) the third part is a digest of the events, names and identifiers
    /// included, so that two different notifications about one asset are not taken for one.
    public var deduplicationKey: String {
        ([subscriptionId, trigger, timestamp.isEmpty ? eventsDigest : timestamp] + events.map(\.entityRef)).joined(separator: "|")
    }

    /// `events:` and the SHA-256 of each event's name, type, reference and identifiers.
    private var eventsDigest: String {
        var bytes: [UInt8] = []
        for event in events {
            let parts = [event.event, event.entityType, event.entityRef] + (event.identifiers ?? []).flatMap { [$0.type, $0.value] }
            for part in parts { bytes += Array(part.utf8) + [0] }
            bytes.append(1)
        }
        return "events:" + Hex.encode(SHA256.hash(bytes))
    }

    /// Reads a notification from the raw body, naming the first field that is missing or wrong.
    public static func parse(_ body: [UInt8]) throws(NotificationError) -> WebhookNotification {
        let document: JSONValue
        do {
            document = try JSONParser.parse(body)
        } catch {
            throw NotificationError("body is not JSON (\(error))")
        }
        guard let root = document.objectValue else { throw NotificationError("body is not a JSON object") }
        guard let trigger = root["trigger"] else { throw NotificationError("missing field \"trigger\"") }
        guard let triggerText = trigger.stringValue, !triggerText.isEmpty else {
            throw NotificationError("field \"trigger\" must be a non-empty string")
        }
        guard let rawEvents = root["events"] else { throw NotificationError("missing field \"events\"") }
        guard let eventList = rawEvents.arrayValue else { throw NotificationError("field \"events\" must be an array") }
        guard !eventList.isEmpty else { throw NotificationError("field \"events\" is empty") }

        var events: [WebhookEvent] = []
        events.reserveCapacity(eventList.count)
        for (index, raw) in eventList.enumerated() {
            // Named only in an error: not built for every event.
            let path = { "events[\(index)]" }
            guard let event = raw.objectValue else { throw NotificationError("\(path()) must be an object") }
            let entityRef = try requiredString(event, "entityRef", path())
            let entityType = try requiredString(event, "entityType", path())
            let name = try optionalString(event, "event", path()) ?? ""
            events.append(WebhookEvent(
                event: name, entityType: entityType,
                // Some receivers have seen a path here; the reference is its last segment. Looked
                // for in the bytes first: splitting walks the text character by character.
                entityRef: entityRef.utf8.contains(UInt8(ascii: "/"))
                    ? String(entityRef.split(separator: "/").last ?? Substring(entityRef)) : entityRef,
                identifiers: try identifiers(event["identifiers"], "\(path()).identifiers")
            ))
        }
        return WebhookNotification(
            subscriptionId: try optionalString(root, "subscriptionId", nil) ?? "",
            timestamp: try optionalString(root, "timestamp", nil) ?? "",
            tenant: try optionalString(root, "tenant", nil) ?? "",
            version: try optionalString(root, "version", nil) ?? "",
            trigger: triggerText,
            events: events
        )
    }

    private static func field(_ path: String?, _ key: String) -> String {
        path.map { "\($0).\(key)" } ?? key
    }

    private static func requiredString(_ object: JSONObject, _ key: String, _ path: @autoclosure () -> String?) throws(NotificationError) -> String {
        guard let value = object[key] else { throw NotificationError("missing field \"\(field(path(), key))\"") }
        guard let text = value.stringValue, !text.isEmpty else {
            throw NotificationError("field \"\(field(path(), key))\" must be a non-empty string")
        }
        return text
    }

    private static func optionalString(_ object: JSONObject, _ key: String, _ path: @autoclosure () -> String?) throws(NotificationError) -> String? {
        guard let value = object[key], value != .null else { return nil }
        guard let text = value.stringValue else { throw NotificationError("field \"\(field(path(), key))\" must be a string") }
        return text
    }

    private static func identifiers(_ raw: JSONValue?, _ path: @autoclosure () -> String) throws(NotificationError) -> [WebhookIdentifier]? {
        guard let raw, raw != .null else { return nil }
        guard let list = raw.arrayValue else { throw NotificationError("field \"\(path())\" must be an array") }
        var out: [WebhookIdentifier] = []
        for element in list {
            guard let object = element.objectValue else { continue }
            if let type = object["type"]?.stringValue, let value = object["value"] {
                out.append(WebhookIdentifier(type: type, value: scalarText(value)))
            } else {
                for (key, value) in object { out.append(WebhookIdentifier(type: key, value: scalarText(value))) }
            }
        }
        return out
    }

    private static func scalarText(_ value: JSONValue) -> String {
        if case .string(let text) = value { return text }
        return JSONWriter.string(value)
    }
}

/// Why a correctly signed body is not a Preservica notification.
public struct NotificationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, naming the field.
    public var message: String
    /// Creates an error.
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
