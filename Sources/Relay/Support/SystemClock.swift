import Foundation

/// The real clocks: `Date()` for the wall, `ContinuousClock` for timers.
struct SystemClock: RelayClock {
    func now() -> Date { Date() }

    func instant() -> ContinuousClock.Instant { .now }

    func sleep(until deadline: ContinuousClock.Instant) async throws {
        try await Task.sleep(until: deadline, clock: .continuous)
    }

    func alarm(at deadline: ContinuousClock.Instant, _ action: @escaping @Sendable () -> Void) -> RelayAlarm {
        AlarmThread.shared.schedule(at: deadline, action)
    }
}
