/// A token bucket: `rate` posts per second on average, bursts of up to `burst`, timed on `clock`.
actor TokenBucket {
    private let rate: Double
    private let burst: Double
    private let clock: any RelayClock
    private var tokens: Double
    private var updated: ContinuousClock.Instant

    init(rate: Double, burst: Double? = nil, clock: any RelayClock = SystemClock()) {
        self.rate = max(0.01, rate)
        self.burst = max(1, burst ?? rate)
        self.clock = clock
        tokens = self.burst
        updated = clock.instant()
    }

    /// Waits until a post is allowed, then takes its token; returns early when the task is cancelled.
    func take() async {
        while !Task.isCancelled {
            let now = clock.instant()
            tokens = min(burst, tokens + (now - updated).seconds * rate)
            updated = now
            // A token completed by a wait may read a hair under 1 in floating point.
            if tokens >= 1 - 1e-9 {
                tokens = max(0, tokens - 1)
                return
            }
            do {
                // Exactly until the next token is whole: rounded to milliseconds, floating-point
                // truncation added a millisecond to each wait, so a channel ran below its rate.
                try await clock.sleep(for: .seconds((1 - tokens) / rate))
            } catch {
                return
            }
        }
    }
}
