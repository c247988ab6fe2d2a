import Synchronization

/// Wakes one waiting loop. A signal given while the loop is busy is kept (one, however many were
/// given) for its next wait. The loop waits for a signal or a time limit on its clock, whichever
/// comes first, and stops waiting when its task is cancelled.
final class Wakeup: Sendable {
    private struct State {
        var pending = false
        /// Counts waits, so a timer that fires late cannot end a later wait.
        var round = 0
        var expiredRound = -1
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    /// Wakes the loop now, or at its next wait.
    func signal() {
        let waiter = state.withLock { state in
            defer { state.waiter = nil }
            if state.waiter == nil { state.pending = true }
            return state.waiter
        }
        waiter?.resume()
    }

    /// Returns at the first signal, after `limit` on `clock`, or when the task is cancelled.
    func wait(upTo limit: Duration, on clock: any RelayClock) async {
        let round = state.withLock { state -> Int? in
            // A signal is waiting already: no timer is needed (the common case under load).
            if state.pending {
                state.pending = false
                return nil
            }
            state.round += 1
            return state.round
        }
        guard let round else { return }
        // An alarm rather than a sleeping task: under load most waits end at a signal, and an
        // alarm is set and cancelled without starting or cancelling a task.
        let alarm = clock.alarm(at: clock.instant() + limit) { [self] in release(expiring: round) }
        await waitForSignal(round: round)
        alarm.cancel()
    }

    private func waitForSignal(round: Int) async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = state.withLock { state in
                    guard !state.pending, state.expiredRound != round, !Task.isCancelled else {
                        state.pending = false
                        return true
                    }
                    state.waiter = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            release(expiring: nil)
        }
    }

    /// Ends the wait in progress without leaving a signal for the next; a timer names its round.
    private func release(expiring round: Int?) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if let round {
                guard state.round == round else { return nil }
                state.expiredRound = round
            }
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }
}
