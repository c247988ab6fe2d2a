import ChatTargets

/// A channel's paces (``PostPace``, token buckets all kept at once), timed on `clock`.
actor TokenBucket {
    /// The paces it keeps.
    nonisolated let paces: [PostPace]
    private var tokens: PaceTokens
    private let clock: any RelayClock
    private let started: ContinuousClock.Instant

    init(paces: [PostPace], clock: any RelayClock = SystemClock()) {
        self.paces = paces
        tokens = PaceTokens(paces)
        self.clock = clock
        started = clock.instant()
    }

    /// Waits until a post is allowed, then takes its token; returns early when the task is cancelled.
    func take() async {
        while !Task.isCancelled {
            let now = (clock.instant() - started).seconds
            guard let wait = tokens.take(at: now) else { return }
            do {
                // Exactly until the next token is whole: rounded to milliseconds, floating-point
                // truncation added a millisecond to each wait, so a channel ran below its rate.
                try await clock.sleep(for: .seconds(wait))
            } catch {
                return
            }
        }
    }
}
