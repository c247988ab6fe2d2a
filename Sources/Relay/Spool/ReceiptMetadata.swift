import JSON

/// What the relay records about a notification next to its raw body. Never the secret itself.
public struct ReceiptMetadata: Sendable, Equatable {
    /// When the relay received it (ISO 8601 UTC).
    public var receivedAt: String
    /// The peer address that sent it (the proxy's, when behind one).
    public var peer: String
    /// Which configured secret verified the signature (0 = the first).
    public var secretIndex: Int
    /// The notification's trigger.
    public var trigger: String
    /// How many events it holds.
    public var events: Int
    /// Its deduplication key (subscription, trigger, timestamp, entity refs).
    public var key: String

    /// Creates metadata.
    public init(receivedAt: String, peer: String, secretIndex: Int, trigger: String, events: Int, key: String) {
        self.receivedAt = receivedAt
        self.peer = peer
        self.secretIndex = secretIndex
        self.trigger = trigger
        self.events = events
        self.key = key
    }
}

extension ReceiptMetadata {
    /// The metadata as it is written in the journal.
    var json: JSONValue {
        .object(JSONObject([
            ("receivedAt", .string(receivedAt)), ("peer", .string(peer)), ("secretIndex", .number(Double(secretIndex))),
            ("trigger", .string(trigger)), ("events", .number(Double(events))), ("key", .string(key)),
        ]))
    }

    /// ``json`` as compact JSON bytes, written straight from the fields: this runs for every
    /// notification on the event loop.
    var jsonBytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(96 + receivedAt.utf8.count + peer.utf8.count + trigger.utf8.count + key.utf8.count)
        out.append(contentsOf: #"{"receivedAt":"#.utf8)
        JSONWriter.quote(receivedAt, into: &out)
        out.append(contentsOf: #","peer":"#.utf8)
        JSONWriter.quote(peer, into: &out)
        out.append(contentsOf: #","secretIndex":"#.utf8)
        out.append(contentsOf: String(secretIndex).utf8)
        out.append(contentsOf: #","trigger":"#.utf8)
        JSONWriter.quote(trigger, into: &out)
        out.append(contentsOf: #","events":"#.utf8)
        out.append(contentsOf: String(events).utf8)
        out.append(contentsOf: #","key":"#.utf8)
        JSONWriter.quote(key, into: &out)
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// Reads metadata written by ``json``; nil when a field is missing.
    init?(json: JSONValue) {
        guard let object = json.objectValue,
              let receivedAt = object["receivedAt"]?.stringValue, let peer = object["peer"]?.stringValue,
              let secretIndex = object["secretIndex"]?.numberValue, let trigger = object["trigger"]?.stringValue,
              let events = object["events"]?.numberValue, let key = object["key"]?.stringValue else { return nil }
        self.init(receivedAt: receivedAt, peer: peer, secretIndex: Int(secretIndex), trigger: trigger, events: Int(events), key: key)
    }
}

/// One notification as kept in the incoming journal.
public struct JournalRecord: Sendable, Equatable {
    /// Its sequence number, increasing across restarts.
    public var sequence: UInt64
    /// Receipt metadata.
    public var metadata: ReceiptMetadata
    /// The raw body exactly as signed.
    public var body: [UInt8]
}
