import Foundation

/// How long the pipeline holds an event whose entity Preservica could not describe (unreachable,
/// 5xx, refused login), and how soon it asks again: after `firstRetry`, then twice as long each
/// time up to `maxRetry`. When `holdFor` has passed the card goes out saying the details were
/// unavailable. Only a 404 means the entity is unknown; that card goes out at once.
public struct HoldPolicy: Sendable, Equatable {
    /// How long an event is held at most (`preservica.holdFor`, default one hour; zero never holds).
    public var holdFor: Duration
    /// The wait before the first retry.
    public var firstRetry: Duration
    /// The longest wait between retries.
    public var maxRetry: Duration

    /// Creates a policy.
    public init(holdFor: Duration = .seconds(3600), firstRetry: Duration = .seconds(1), maxRetry: Duration = .seconds(60)) {
        self.holdFor = holdFor
        self.firstRetry = firstRetry
        self.maxRetry = maxRetry
    }

    /// The wait after `attempts` failed attempts (1 after the first): doubling from `firstRetry`, capped.
    public func delay(afterAttempts attempts: Int) -> Duration {
        var delay = firstRetry
        for _ in 1..<max(1, min(attempts, 40)) where delay < maxRetry { delay *= 2 }
        return min(delay, maxRetry)
    }

    /// Whether an event held since `since` has been held long enough at `now`. A clock that stepped
    /// back makes the hold last longer, never shorter.
    public func expired(since: Date, now: Date) -> Bool {
        now.timeIntervalSince(since) >= Self.seconds(holdFor)
    }

    /// When a hold that would be asked about at `time` is: not before Preservica's `Retry-After`
    /// ends (`waitEnds`; every call is refused unsent until then), but no later than the hold's
    /// end (`holdFor` after `heldSince`, and not before `now`), when its cards go out without asking.
    public func attemptTime(_ time: Date, waitEnds: Date?, heldSince: Date, now: Date) -> Date {
        min(max(time, waitEnds ?? time), max(now, heldSince.addingTimeInterval(Self.seconds(holdFor))))
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
