/// Where the console reads the time, so tests can move it on instead of waiting for sessions and
/// rate limits to expire.
public struct ConsoleClock: Sendable {
    /// The current instant.
    public var now: @Sendable () -> ContinuousClock.Instant

    /// A clock reading `now`.
    public init(now: @escaping @Sendable () -> ContinuousClock.Instant) {
        self.now = now
    }

    /// The real clock.
    public static let system = ConsoleClock { ContinuousClock.now }
}
