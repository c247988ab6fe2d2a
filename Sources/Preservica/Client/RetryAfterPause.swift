import OutboundHTTP
import Synchronization

/// How long a server that answered 429 or 503 with `Retry-After` asked not to be called: shared by
/// every call on one connection, so no call is sent before the pause is over, neither the one that
/// was answered so nor those waiting for a slot or starting meanwhile. Only real answers set it.
final class RetryAfterPause: Sendable {
    private let until = Mutex<(instant: ContinuousClock.Instant, status: Int)?>(nil)

    /// Records the wait a 429 or 503 asked for with `Retry-After`, and returns it; nil for any
    /// other reply.
    func record(_ reply: OutboundReply) -> Duration? {
        guard reply.status == 429 || reply.status == 503, let wait = RetryAfter.parse(reply.headers["retry-after"]) else { return nil }
        ask(wait, status: reply.status)
        return wait
    }

    /// Records that the server, answering `status`, asked for `wait` from now; a shorter request
    /// than one already recorded does not shorten it.
    private func ask(_ wait: Duration, status: Int) {
        let instant = ContinuousClock.now + wait
        until.withLock { current in
            if let existing = current, existing.instant >= instant { return }
            current = (instant, status)
        }
    }

    /// The time left and the status that asked for it, or nil once the pause has passed.
    func remaining() -> (left: Duration, status: Int)? {
        guard let current = until.withLock({ $0 }) else { return nil }
        let left = current.instant - ContinuousClock.now
        return left > .zero ? (left, current.status) : nil
    }
}
