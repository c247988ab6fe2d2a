/// How long a card waits before its next attempt: exponential backoff with full jitter (a random
/// wait from zero up to base × 2^(attempts-1), at most `cap`), but never less than the service's
/// `Retry-After`.
struct RetryBackoff: Sendable {
    /// The first ceiling, in milliseconds.
    var baseMs: Int64 = 1000
    /// The highest ceiling, in milliseconds.
    var capMs: Int64 = 300_000
    /// Picks the wait in a range; random in service, chosen by tests.
    var pick: @Sendable (ClosedRange<Int64>) -> Int64 = { Int64.random(in: $0) }

    /// The longest wait the jitter may pick after `attempts` attempts.
    func ceilingMs(afterAttempts attempts: Int) -> Int64 {
        min(capMs, baseMs << Int64(min(max(attempts, 1) - 1, 20)))
    }

    /// The wait after `attempts` attempts, in milliseconds, at least `retryAfter` when the service gave one.
    func waitMs(afterAttempts attempts: Int, retryAfter: Duration?) -> Int64 {
        let jittered = pick(0...ceilingMs(afterAttempts: attempts))
        guard let retryAfter else { return jittered }
        return max(jittered, retryAfter.wholeMilliseconds)
    }
}
