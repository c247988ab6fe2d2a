/// Keeps a job's next attempt within the wait the deliverer chose for it.
///
/// `nextAttemptAt` is wall-clock time, so it survives a restart. But when the clock is stepped back
/// (or the file is edited by hand), a time hours or days ahead would stall the channel behind that
/// job. No wait the deliverer schedules is longer than the one it recorded in `waitMs` (backoff or
/// `Retry-After`), or, for a job without one, the backoff ceiling for its attempt count. A later
/// next attempt is pulled in to now plus that wait.
enum AttemptSchedule {
    /// The longest backoff, in milliseconds (`Retry-After` may ask for more, and is recorded).
    static let backoffCeiling: Int64 = 300_000

    /// The backoff ceiling after `attempts` attempts: 1 s doubling, at most ``backoffCeiling``.
    static func ceiling(attempts: Int) -> Int64 {
        min(backoffCeiling, 1000 * (1 << Int64(min(max(attempts - 1, 0), 20))))
    }

    /// The next attempt time `job` should have at `now` (ms since 1970), if its own is too far ahead.
    static func clamped(_ job: DeliveryJob, now: Int64) -> Int64? {
        let allowed = job.waitMs ?? ceiling(attempts: job.attempts)
        guard job.nextAttemptAt > now + allowed else { return nil }
        return now + allowed
    }
}
