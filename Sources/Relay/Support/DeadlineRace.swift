import Synchronization

/// Runs work that cannot be interrupted (a lookup in flight, a post in flight) with a deadline:
/// the caller goes on at the deadline, the work goes on in the background until it ends or the
/// process exits.
enum DeadlineRace {
    /// Runs `work` and returns true when it finished before `deadline`, false when the deadline came first.
    static func finish(by deadline: ContinuousClock.Instant, _ work: @escaping @Sendable () async -> Void) async -> Bool {
        let waiting = Mutex<CheckedContinuation<Bool, Never>?>(nil)
        let resume: @Sendable (Bool) -> Void = { finished in
            waiting.withLock { continuation in
                continuation?.resume(returning: finished)
                continuation = nil
            }
        }
        return await withCheckedContinuation { continuation in
            waiting.withLock { $0 = continuation }
            Task {
                await work()
                resume(true)
            }
            Task {
                try? await Task.sleep(until: deadline, clock: .continuous)
                resume(false)
            }
        }
    }
}
