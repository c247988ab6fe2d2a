import Dispatch
import Foundation
import Synchronization

/// The alarms of ``SystemClock``: one thread for the whole process sleeps until the earliest and
/// calls each action when its deadline comes.
///
/// It is cheaper than a sleeping task per wait when waits mostly end early. Setting an alarm later
/// than the one the thread sleeps for, and cancelling any, only takes a lock: the thread is not
/// woken, and when it wakes for an alarm cancelled since, it goes back to sleep until the next.
/// Only an alarm earlier than every other wakes it. The thread holds no state of the relay's (as
/// Dispatch's own manager thread does not) and is started on first use.
final class AlarmThread: Sendable {
    /// The process's one alarm thread.
    static let shared = AlarmThread()

    private struct Entry {
        let id: UInt64
        let deadline: ContinuousClock.Instant
        let action: @Sendable () -> Void
    }

    private struct State {
        var entries: [Entry] = []
        var nextId: UInt64 = 0
        /// When the thread will next look, if it sleeps with a time limit; nil for no limit.
        var sleepingUntil: ContinuousClock.Instant?
        var started = false
        var stopped = false
    }

    private let state = Mutex(State())
    private let wake = DispatchSemaphore(value: 0)
    /// The longest the thread sleeps at a time: Dispatch's clock stops across a suspend and the
    /// continuous one does not, so a long sleep could end late by the suspend; waking early only
    /// means looking again.
    private let longestSleep: Duration

    /// A thread that sleeps at most `longestSleep` at a time (a test's own instance sets a long
    /// one, so only a wake-up can end its sleep early).
    init(longestSleep: Duration = .seconds(5)) {
        self.longestSleep = longestSleep
    }

    /// Calls `action` on the alarm thread at `deadline` (at once if it has passed), unless the
    /// returned alarm is cancelled first.
    func schedule(at deadline: ContinuousClock.Instant, _ action: @escaping @Sendable () -> Void) -> RelayAlarm {
        let (id, signal, start) = state.withLock { state -> (UInt64, Bool, Bool) in
            state.nextId += 1
            state.entries.append(Entry(id: state.nextId, deadline: deadline, action: action))
            let start = !state.started
            state.started = true
            guard !start, state.sleepingUntil.map({ deadline < $0 }) ?? true else { return (state.nextId, false, start) }
            // Earlier than the thread's own limit: it must look again now.
            state.sleepingUntil = deadline
            return (state.nextId, true, start)
        }
        if start {
            let thread = Thread { [self] in run() }
            thread.name = "relay.alarms"
            thread.start()
        } else if signal {
            wake.signal()
        }
        return RelayAlarm { [self] in
            state.withLock { state in state.entries.removeAll { $0.id == id } }
        }
    }

    /// How many alarms are set and not yet gone off or cancelled.
    var pending: Int { state.withLock { $0.entries.count } }

    /// Until when the thread sleeps, once it has looked at its alarms; nil without a limit.
    var sleepingUntil: ContinuousClock.Instant? { state.withLock { $0.sleepingUntil } }

    /// Ends the thread (for a test's own instance; the shared one runs as long as the process).
    /// Alarms not yet gone off never go off.
    func stop() {
        state.withLock { $0.stopped = true }
        wake.signal()
    }

    private func run() {
        while true {
            guard let (due, next) = look(at: ContinuousClock.now) else { return }
            guard due.isEmpty else {
                for entry in due { entry.action() }
                continue
            }
            if let next {
                // Measured now, after the lock.
                let (seconds, attoseconds) = min(max(next - ContinuousClock.now, .zero), longestSleep).components
                _ = wake.wait(timeout: .now() + .nanoseconds(Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)))
            } else {
                wake.wait()
            }
        }
    }

    /// Takes the alarms due at `now`, earliest first, and notes the next deadline as the thread's
    /// limit; nil once stopped.
    private func look(at now: ContinuousClock.Instant) -> (due: [Entry], next: ContinuousClock.Instant?)? {
        state.withLock { state in
            if state.stopped { return nil }
            let due = state.entries.filter { $0.deadline <= now }.sorted { $0.deadline < $1.deadline }
            if !due.isEmpty { state.entries.removeAll { $0.deadline <= now } }
            state.sleepingUntil = state.entries.lazy.map(\.deadline).min()
            return (due, state.sleepingUntil)
        }
    }
}
