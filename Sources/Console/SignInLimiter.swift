import Synchronization

/// Slows down password guessing: after `maxPerUser` failed sign-ins for one user name, or
/// `maxPerAddress` from one address, within `window`, further attempts are refused until the
/// oldest failure leaves the window. A success clears the user's failures, never the address's.
public final class SignInLimiter: Sendable {
    private let failures = Mutex<[String: [ContinuousClock.Instant]]>([:])
    private let clock: ConsoleClock
    /// Failed sign-ins allowed per user name in the window.
    public let maxPerUser: Int
    /// Failed sign-ins allowed per address in the window.
    public let maxPerAddress: Int
    /// How far back failures count.
    public let window: Duration

    /// A limiter; the defaults allow 5 failures per user and 20 per address in 15 minutes.
    public init(maxPerUser: Int = 5, maxPerAddress: Int = 20, window: Duration = .seconds(900), clock: ConsoleClock = .system) {
        self.maxPerUser = maxPerUser
        self.maxPerAddress = maxPerAddress
        self.window = window
        self.clock = clock
    }

    /// How long `user` at `address` must wait before trying again; nil when they may try now.
    public func wait(user: String, address: String) -> Duration? {
        let now = clock.now()
        return failures.withLock { failures in
            var longest: Duration?
            for (key, limit) in [(Self.userKey(user), maxPerUser), (Self.addressKey(address), maxPerAddress)] {
                let recent = (failures[key] ?? []).filter { now - $0 < window }
                failures[key] = recent.isEmpty ? nil : recent
                if recent.count >= limit, let oldest = recent.first {
                    let wait = window - (now - oldest)
                    longest = max(longest ?? wait, wait)
                }
            }
            return longest
        }
    }

    /// Counts a failed sign-in.
    public func failed(user: String, address: String) {
        let now = clock.now()
        failures.withLock { failures in
            failures[Self.userKey(user), default: []].append(now)
            failures[Self.addressKey(address), default: []].append(now)
        }
    }

    /// Clears the user's failures after a successful sign-in.
    public func succeeded(user: String) {
        _ = failures.withLock { $0.removeValue(forKey: Self.userKey(user)) }
    }

    private static func userKey(_ user: String) -> String { "user:" + user.lowercased() }

    /// The address without its port: `127.0.0.1:53122` → `127.0.0.1`, `[::1]:53122` → `::1`.
    static func addressKey(_ address: String) -> String {
        if address.hasPrefix("["), let close = address.firstIndex(of: "]") {
            return "address:" + address[address.index(after: address.startIndex)..<close]
        }
        if let colon = address.lastIndex(of: ":"), address.firstIndex(of: ":") == colon { return "address:" + address[..<colon] }
        return "address:" + address
    }
}
