import Synchronization

/// Keeps one curator from reloading the relay without end: every change to a console channel
/// (create, change, delete) reloads the relay as SIGHUP does, and its pipeline starts again. After
/// `maxChanges` changes made by one user within `window`, further changes are refused until the
/// oldest leaves the window. Only changes made count (not ones refused); administrators are not
/// counted.
public final class ChangeLimiter: Sendable {
    private let changes = Mutex<[String: [ContinuousClock.Instant]]>([:])
    private let clock: ConsoleClock
    /// Changes allowed per user in the window.
    public let maxChanges: Int
    /// How far back changes count.
    public let window: Duration

    /// A limiter; the defaults allow 30 changes per user in 10 minutes.
    public init(maxChanges: Int = 30, window: Duration = .seconds(600), clock: ConsoleClock = .system) {
        self.maxChanges = maxChanges
        self.window = window
        self.clock = clock
    }

    /// How long `user` must wait before their next change; nil when they may make it now.
    public func wait(user: String) -> Duration? {
        let now = clock.now()
        return changes.withLock { changes in
            let recent = (changes[user] ?? []).filter { now - $0 < window }
            changes[user] = recent.isEmpty ? nil : recent
            guard recent.count >= maxChanges, let oldest = recent.first else { return nil }
            return window - (now - oldest)
        }
    }

    /// Counts a change `user` made.
    public func record(user: String) {
        let now = clock.now()
        changes.withLock { $0[user, default: []].append(now) }
    }
}
