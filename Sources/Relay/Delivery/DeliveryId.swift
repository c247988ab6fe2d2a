import Foundation
import Hashing

/// The id that names one card to a service that deduplicates: the Matrix transaction id and the
/// Standard Webhooks `webhook-id`. A Matrix homeserver takes a txnId it has seen from the same
/// access token as a retry and posts nothing, so ids must be unique across spools and relays, and
/// the same on every retry of one card (they are stored in the job). The Standard Webhooks id
/// alphabet has no `.` (the signed content is `id.timestamp.body`).
enum DeliveryId {
    /// A fresh id: `msg_` and the 32 hex digits of a random UUID.
    static func make() -> String {
        "msg_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
    }

    /// The id of a job written before jobs carried one: derived from the job's own id and creation
    /// time, so it stays the same across the job's retries.
    static func legacy(id: String, createdAt: String) -> String {
        "msg_" + Hex.encode(SHA256.hash(Array("\(id)|\(createdAt)".utf8)).prefix(16))
    }
}
