import Foundation

/// Where the long-running parts read the time and wait: the deliverer, the token buckets, the
/// digest windows and the incoming worker's timers. The service runs on ``SystemClock``; tests
/// drive a clock that moves only when they say so.
protocol RelayClock: Sendable {
    /// The wall clock: timestamps, job ages, retry times and digest windows. It may step (NTP, an operator).
    func now() -> Date
    /// The wall clock in milliseconds since 1970.
    var nowMs: Int64 { get }
    /// The monotonic clock, for paces and timers; it never steps.
    func instant() -> ContinuousClock.Instant
    /// Returns at `deadline` on the monotonic clock; throws `CancellationError` when the task is cancelled first.
    func sleep(until deadline: ContinuousClock.Instant) async throws
    /// Calls `action` once at `deadline` on the monotonic clock, unless the alarm is cancelled
    /// first: a time limit for a wait that mostly ends sooner, set and cancelled without a task.
    func alarm(at deadline: ContinuousClock.Instant, _ action: @escaping @Sendable () -> Void) -> RelayAlarm
}

extension RelayClock {
    /// The wall clock in milliseconds since 1970.
    var nowMs: Int64 { Int64(now().timeIntervalSince1970 * 1000) }

    /// Returns after `duration` on the monotonic clock; throws `CancellationError` when the task is cancelled first.
    func sleep(for duration: Duration) async throws {
        try await sleep(until: instant() + duration)
    }
}
