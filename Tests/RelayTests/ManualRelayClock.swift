import Foundation
import Synchronization
@testable import Relay

/// A clock that moves only when a test says so. Sleepers resume when ``advance(by:)`` reaches their
/// deadline; the wall clock can also be stepped alone, as NTP or an operator would.
final class ManualRelayClock: RelayClock {
    private struct Sleeper {
        let id: Int
        let deadline: Duration
        /// A task asleep, or an alarm's action.
        let continuation: CheckedContinuation<Void, any Error>?
        var action: (@Sendable () -> Void)? = nil

        func wake() {
            if let continuation { continuation.resume() } else { action?() }
        }
    }

    private struct State {
        var wallMs: Int64
        var elapsed: Duration = .zero
        var sleepers: [Sleeper] = []
        var nextId = 0
    }

    private let origin = ContinuousClock.now
    private let state: Mutex<State>

    /// A clock whose wall reads `wallMs` (ms since 1970; by default an afternoon in 2027).
    init(wallMs: Int64 = 1_800_000_000_000) {
        state = Mutex(State(wallMs: wallMs))
    }

    var nowMs: Int64 { state.withLock { $0.wallMs } }

    func now() -> Date {
        beforeNow.withLock { $0 }?()
        return Date(timeIntervalSince1970: Double(nowMs) / 1000)
    }

    /// Runs `hook` each time the time is read, before it is: a test's way to act at a point in
    /// code it does not run itself (between a worker's batches, say). It may move the clock, and
    /// must take no lock the code reading the time may hold.
    func onNow(_ hook: @escaping @Sendable () -> Void) { beforeNow.withLock { $0 = hook } }
    private let beforeNow = Mutex<(@Sendable () -> Void)?>(nil)

    func instant() -> ContinuousClock.Instant { origin + elapsed }

    /// How far the monotonic clock has moved since the clock was made.
    var elapsed: Duration { state.withLock { $0.elapsed } }

    /// How many tasks are asleep on this clock, and alarms set on it.
    var sleepers: Int { state.withLock { $0.sleepers.count } }

    /// How long until the earliest sleeper's deadline, if anyone sleeps.
    var nextWake: Duration? {
        state.withLock { state in state.sleepers.map(\.deadline).min().map { $0 - state.elapsed } }
    }

    func sleep(until deadline: ContinuousClock.Instant) async throws {
        let target = deadline - origin
        let id = state.withLock { state in
            state.nextId += 1
            return state.nextId
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let outcome: Result<Void, any Error>? = state.withLock { state in
                    if Task.isCancelled { return .failure(CancellationError()) }
                    if state.elapsed >= target { return .success(()) }
                    state.sleepers.append(Sleeper(id: id, deadline: target, continuation: continuation))
                    return nil
                }
                if let outcome { continuation.resume(with: outcome) }
            }
        } onCancel: {
            let sleeper = state.withLock { state in state.sleepers.firstIndex { $0.id == id }.map { state.sleepers.remove(at: $0) } }
            sleeper?.continuation?.resume(throwing: CancellationError())
        }
    }

    /// An alarm counts as a sleeper until it goes off or is cancelled.
    func alarm(at deadline: ContinuousClock.Instant, _ action: @escaping @Sendable () -> Void) -> RelayAlarm {
        let target = deadline - origin
        let id = state.withLock { state -> Int? in
            if state.elapsed >= target { return nil }
            state.nextId += 1
            state.sleepers.append(Sleeper(id: state.nextId, deadline: target, continuation: nil, action: action))
            return state.nextId
        }
        guard let id else {
            action()
            return RelayAlarm {}
        }
        return RelayAlarm { [self] in
            state.withLock { state in state.sleepers.removeAll { $0.id == id } }
        }
    }

    /// Moves both clocks on by `duration` and resumes every sleeper whose deadline it reaches.
    func advance(by duration: Duration) {
        let due = state.withLock { state in
            state.wallMs += duration.wholeMilliseconds
            state.elapsed += duration
            let elapsed = state.elapsed
            defer { state.sleepers.removeAll { $0.deadline <= elapsed } }
            return state.sleepers.filter { $0.deadline <= elapsed }.sorted { $0.deadline < $1.deadline }
        }
        for sleeper in due { sleeper.wake() }
    }

    /// Moves on to the earliest sleeper's deadline and wakes it; returns how far, nil when nobody sleeps.
    @discardableResult
    func advanceToNextWake() -> Duration? {
        guard let wait = nextWake else { return nil }
        advance(by: max(.zero, wait))
        return wait
    }

    /// Steps the wall clock alone; the monotonic clock and the sleepers do not notice.
    func stepWall(by duration: Duration) {
        state.withLock { $0.wallMs += duration.wholeMilliseconds }
    }
}
