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
            if tokens >= 1 {
                tokens -= 1
                return
            }
            do {
                try await clock.sleep(for: .milliseconds(Int64((1 - tokens) / rate * 1000) + 1))
            } catch {
                return
            }
        }
    }
}
