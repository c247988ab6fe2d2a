import ChatTargets

/// The tokens of a channel's paces, on a time line in seconds: a post may go when every pace
/// holds a whole token, and takes one from each.
struct PaceTokens: Sendable {
    private struct Bucket: Sendable {
        let rate: Double
        let burst: Double
        var tokens: Double
    }

    private var buckets: [Bucket]
    private var updated: Double?

    init(_ paces: [PostPace]) {
        buckets = paces.map { pace in
            let burst = max(1, pace.burst)
            return Bucket(rate: max(0.01, pace.perSecond), burst: burst, tokens: burst)
        }
    }

    /// Takes a post's tokens at `now` (seconds, never going back) and returns nil; or, when a pace
    /// has no whole token yet, takes nothing and returns the seconds until every pace has one.
    mutating func take(at now: Double) -> Double? {
        let elapsed = updated.map { max(0, now - $0) } ?? 0
        updated = now
        var wait = 0.0
        for index in buckets.indices {
            let bucket = buckets[index]
            buckets[index].tokens = min(bucket.burst, bucket.tokens + elapsed * bucket.rate)
            // A token completed by a wait may read a hair under 1 in floating point.
            let missing = 1 - buckets[index].tokens
            if missing > 1e-9 { wait = max(wait, missing / bucket.rate) }
        }
        guard wait == 0 else { return wait }
        for index in buckets.indices { buckets[index].tokens = max(0, buckets[index].tokens - 1) }
        return nil
    }
}
