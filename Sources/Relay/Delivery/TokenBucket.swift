/// A token bucket: `rate` posts per second on average, bursts of up to `burst`.
actor TokenBucket {
    private let rate: Double
    private let burst: Double
    private var tokens: Double
    private var updated = ContinuousClock.now

    init(rate: Double, burst: Double? = nil) {
        self.rate = max(0.01, rate)
        self.burst = max(1, burst ?? rate)
        tokens = self.burst
    }

    /// Waits until a post is allowed, then takes its token; returns early when the task is cancelled.
    func take() async {
        while !Task.isCancelled {
            let now = ContinuousClock.now
            let elapsed = now - updated
            tokens = min(burst, tokens + (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18) * rate)
            updated = now
            if tokens >= 1 {
                tokens -= 1
                return
            }
            do {
                try await Task.sleep(for: .milliseconds(Int64((1 - tokens) / rate * 1000) + 1))
            } catch {
                return
            }
        }
    }
}
