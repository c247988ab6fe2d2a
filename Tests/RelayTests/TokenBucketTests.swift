import Testing
import TestSupport
@testable import Relay

/// The token bucket's pace, on a clock the test moves.
@Suite("Token bucket pacing")
struct TokenBucketTests {
    /// Takes `posts` tokens one after another while moving the clock to each wait's end; returns
    /// the clock time each take happened at.
    private func pace(posts: Int, rate: Double, burst: Double) async -> [Duration] {
        let clock = ManualRelayClock()
        let bucket = TokenBucket(rate: rate, burst: burst, clock: clock)
        let taken = Tally()
        return await withTaskGroup(of: [Duration].self) { group in
            group.addTask {
                var times: [Duration] = []
                for _ in 0..<posts {
                    await bucket.take()
                    times.append(clock.elapsed)
                    taken.increment()
                }
                return times
            }
            while taken.value < posts {
                // The taker is either done or asleep on the clock: then its wait is over.
                guard await eventually({ taken.value == posts || clock.sleepers == 1 }) else { break }
                clock.advanceToNextWake()
            }
            return await group.next() ?? []
        }
    }

    @Test("N posts at rate r with burst b take (N - b) / r of clock time; the burst goes at once")
    func pacing() async {
        let times = await pace(posts: 11, rate: 2, burst: 3)
        #expect(times.count == 11)
        #expect(times.prefix(3).allSatisfy { $0 == .zero }, "the burst is not paced")
        let total = times.last ?? .zero
        #expect(Self.near(total, .seconds(4)), "took \(total)")
        for (earlier, later) in zip(times.dropFirst(2), times.dropFirst(3)) {
            #expect(Self.near(later - earlier, .milliseconds(500)), "one post each half second: \(times)")
        }
    }

    @Test("a bucket of rate 1 without a burst paces every post after the first by a second")
    func noBurst() async {
        let times = await pace(posts: 4, rate: 1, burst: 1)
        #expect(times.first == .zero)
        #expect(zip(times, [0, 1, 2, 3]).allSatisfy { Self.near($0, .seconds($1)) }, "took \(times)")
    }

    /// Within a microsecond: the bucket counts in floating point.
    private static func near(_ measured: Duration, _ expected: Duration) -> Bool {
        abs((measured - expected).seconds) < 1e-6
    }
}
