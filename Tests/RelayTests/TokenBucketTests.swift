import Testing
import TestSupport
import ChatTargets
@testable import Relay

/// The token bucket's pace, on a clock the test moves.
@Suite("Token bucket pacing")
struct TokenBucketTests {
    /// Takes `posts` tokens one after another while moving the clock to each wait's end; returns
    /// the clock time each take happened at.
    private func pace(posts: Int, rate: Double, burst: Double) async -> [Duration] {
        let clock = ManualRelayClock()
        let bucket = TokenBucket(paces: [PostPace(perSecond: rate, burst: burst)], clock: clock)
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

    /// Posts as fast as every default pace of the service lets them go, for 2,000 posts: the
    /// fastest a channel ever posts.
    @Test("each service's default paces keep to every limit it documents, posting as fast as they allow",
          arguments: ChatTargetKind.allCases.filter { !$0.documentedWindows.isEmpty })
    func documentedWindows(kind: ChatTargetKind) {
        let times = Self.fastest(2_000, paces: kind.defaultPaces)
        for window in kind.documentedWindows {
            let kept = window.allows(times)
            #expect(kept, "\(kind) posts more than \(window.posts) in \(window.seconds) s")
        }
        // Not slower than it needs to be: the first posts go at once.
        #expect(times.prefix(while: { $0 == 0 }).count == Int(kind.defaultPaces.map(\.burst).min() ?? 1))
    }

    /// The times (seconds) of `count` posts as fast as `paces` let them go.
    private static func fastest(_ count: Int, paces: [PostPace]) -> [Double] {
        var tokens = PaceTokens(paces)
        var now = 0.0
        var times: [Double] = []
        while times.count < count {
            if let wait = tokens.take(at: now) { now += wait } else { times.append(now) }
        }
        return times
    }

    /// README: "500 cards take about 14 minutes" without a digest, at most 1,790 in any hour.
    @Test("500 Teams cards at the default pace take about 14½ minutes, and no hour holds more than 1,790")
    func teamsBulk() {
        let times = Self.fastest(2_000, paces: ChatTargetKind.teams.defaultPaces)
        #expect((14 * 60.0...15 * 60.0).contains(times[499]), "the 500th card at \(times[499]) s")
        #expect(PostWindow(posts: 1_790, seconds: 3_600).allows(times))
        #expect(!PostWindow(posts: 1_789, seconds: 3_600).allows(times), "1,790 is reached, not a loose bound")
    }

    @Test("a post waits for the pace that is furthest from a token, and takes one from every pace")
    func severalPaces() {
        var tokens = PaceTokens([PostPace(perSecond: 1, burst: 2), PostPace(perSecond: 0.1, burst: 3)])
        #expect(tokens.take(at: 0) == nil && tokens.take(at: 0) == nil)
        #expect(tokens.take(at: 0).map { abs($0 - 1) < 1e-9 } == true, "the first pace is empty: a second")
        #expect(tokens.take(at: 1) == nil)
        // The second pace has used three of its three: a token in 10 s from its last whole one.
        let wait = tokens.take(at: 2)
        #expect(wait.map { abs($0 - 8) < 1e-6 } == true, "\(String(describing: wait))")
    }

    /// A reload starts every channel's loop again: a new bucket would start full, and a channel
    /// reloaded often would post over its service's limit.
    @Test("a channel's bucket is kept across reloads while its paces stay the same")
    func keptAcrossReloads() async {
        let store = PaceStore()
        let clock = ManualRelayClock()
        let paces = ChatTargetKind.teams.defaultPaces
        let first = store.bucket(for: "team", paces: paces, clock: clock)
        for _ in 0..<4 { await first.take() }
        // The next loop, after a reload: the same bucket, with the burst spent.
        let next = store.bucket(for: "team", paces: paces, clock: clock)
        #expect(next === first)
        let changed = store.bucket(for: "team", paces: [PostPace(perSecond: 10, burst: 10)], clock: clock)
        #expect(changed !== first, "new paces, a new bucket")
        store.keepOnly(["other"])
        #expect(store.bucket(for: "team", paces: [PostPace(perSecond: 10, burst: 10)], clock: clock) !== changed, "a removed channel is forgotten")
    }

    /// Within a microsecond: the bucket counts in floating point.
    private static func near(_ measured: Duration, _ expected: Duration) -> Bool {
        abs((measured - expected).seconds) < 1e-6
    }
}
