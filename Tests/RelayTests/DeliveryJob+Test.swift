import JSON
import Relay

extension DeliveryJob {
    /// A waiting asset card of `channel` for the first event of journal sequence `sequence`,
    /// named as the planner names it, with an empty payload.
    static func test(_ sequence: Int, channel: String, nextAttemptAt: Int64 = 0, attempts: Int = 0) -> DeliveryJob {
        DeliveryJob(id: "\(sequence)-0-\(channel)", name: String(format: "%012d-0000.json", sequence), channel: channel, kind: "asset",
                    event: "\(sequence)/0#r\(sequence)", createdAt: "2026-12-01T00:00:00.000Z", attempts: attempts,
                    nextAttemptAt: nextAttemptAt, payload: .object(JSONObject()))
    }
}
