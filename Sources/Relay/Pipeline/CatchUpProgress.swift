import Synchronization

/// Whether `catchUp.onStart` has gone through. Until it has, the time of the last run
/// (``LastRunning``) is kept as it was, so the gap is caught up on at the next start.
final class CatchUpProgress: Sendable {
    private let done = Mutex(true)

    /// A catch-up starts: not done until ``finish()``.
    func begin() { done.withLock { $0 = false } }

    /// The catch-up went through, or there was nothing to catch up on.
    func finish() { done.withLock { $0 = true } }

    /// True unless a catch-up is under way and has not gone through.
    var isDone: Bool { done.withLock { $0 } }
}
