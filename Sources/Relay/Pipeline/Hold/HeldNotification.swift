import Foundation
import JSON

/// A notification some of whose events wait for Preservica to answer again, as kept in
/// `<dataDir>/held/<sequence>.json`. The cursor moves past the notification only once this file
/// is on disk, so a restart resumes the hold instead of losing it or sending the card unenriched.
public struct HeldNotification: Sendable, Equatable {
    /// The notification's journal sequence.
    public var sequence: UInt64
    /// When the relay received it (receipt metadata).
    public var receivedAt: String
    /// The notification body as received (its events are read again at each retry).
    public var body: [UInt8]
    /// Positions in the notification's `events` still waiting.
    public var events: [Int]
    /// The references of those events, for the status page and an operator reading the file.
    public var refs: [String]
    /// When the hold began (the expiry is counted from here).
    public var heldSince: Date
    /// Enrichment attempts so far (the first one included).
    public var attempts: Int
    /// Why the last attempt failed, in words (never a secret).
    public var problem: String
    /// When to ask again; not kept on disk (after a restart the relay asks at once).
    public var nextAttempt: Date

    /// The JSON kept on disk.
    var json: JSONValue {
        .object(JSONObject([
            ("sequence", .number(Double(sequence))), ("receivedAt", .string(receivedAt)),
            ("heldSince", .string(Timestamp.iso8601(heldSince))),
            ("heldSinceMs", .number((heldSince.timeIntervalSince1970 * 1000).rounded())),
            ("attempts", .number(Double(attempts))), ("events", .array(events.map { .number(Double($0)) })),
            ("refs", .array(refs.map { .string($0) })), ("problem", .string(problem)),
            ("notification", .string(String(decoding: body, as: UTF8.self))),
        ]))
    }

    /// Reads a file written from ``json``; nil when it is not one.
    init?(json: JSONValue, now: Date) {
        guard let object = json.objectValue, let sequence = object["sequence"]?.int64Value, sequence >= 0,
              let since = object["heldSinceMs"]?.numberValue, since.isFinite, let body = object["notification"]?.stringValue,
              let events = object["events"]?.arrayValue?.compactMap({ $0.int64Value.map { Int($0) } }) else { return nil }
        self.sequence = UInt64(sequence)
        receivedAt = object["receivedAt"]?.stringValue ?? ""
        self.body = Array(body.utf8)
        self.events = events
        refs = object["refs"]?.arrayValue?.compactMap(\.stringValue) ?? []
        // A hold that seems to begin in the future (the clock stepped back) is counted from now.
        heldSince = min(Date(timeIntervalSince1970: since / 1000), now)
        attempts = Int(object["attempts"]?.int64Value ?? 1)
        problem = object["problem"]?.stringValue ?? ""
        nextAttempt = now
    }

    /// Creates a hold.
    init(sequence: UInt64, receivedAt: String, body: [UInt8], events: [Int], refs: [String], heldSince: Date, attempts: Int,
         problem: String, nextAttempt: Date) {
        self.sequence = sequence
        self.receivedAt = receivedAt
        self.body = body
        self.events = events
        self.refs = refs
        self.heldSince = heldSince
        self.attempts = attempts
        self.problem = problem
        self.nextAttempt = nextAttempt
    }
}
