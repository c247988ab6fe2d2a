import Foundation

/// A homeserver's limit on the messages one account sends: a bucket of `burst` messages that
/// refills at `perSecond`. Synapse's default (`rc_message` in its configuration manual) is 0.2 a
/// second with a burst of 10; a message over it is answered 429 `M_LIMIT_EXCEEDED` with
/// `retry_after_ms`. A retransmitted transaction is answered from the homeserver's transaction
/// cache before this limit is asked, so it does not count.
struct MatrixMessageAllowance: Sendable {
    let perSecond: Double
    let burst: Double
    private var tokens: Double
    private var updated: Date?

    init(perSecond: Double, burst: Double) {
        self.perSecond = perSecond
        self.burst = burst
        tokens = burst
    }

    /// Takes one message at `now`; nil when allowed, else the milliseconds until one would be.
    mutating func take(at now: Date) -> Int? {
        if let updated { tokens = min(burst, tokens + max(0, now.timeIntervalSince(updated)) * perSecond) }
        updated = now
        guard perSecond > 0 else { return nil }
        if tokens >= 1 {
            tokens -= 1
            return nil
        }
        return Int(((1 - tokens) / perSecond * 1_000).rounded(.up))
    }
}
