import HTTPServer
import Synchronization

/// Slows down password guessing: after `maxPerUser` failed sign-ins for one user name, or
/// `maxPerAddress` from one address, within `window`, further attempts are refused until the
/// oldest failure leaves the window. A success clears the user's failures, never the address's.
/// An attempt counts from the moment it is taken, not once Preservica has answered.
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

    /// Takes a sign-in attempt of `user` at `address`: nil when they may try now, and the attempt
    /// then counts as a failure at once, until ``succeeded(user:address:)`` or
    /// ``withdraw(user:address:)`` takes it back, so that attempts made together cannot all pass
    /// the check before the first has failed. Otherwise how long they must wait.
    public func begin(user: String, address: String) -> Duration? {
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
            if longest == nil {
                failures[Self.userKey(user), default: []].append(now)
                failures[Self.addressKey(address), default: []].append(now)
            }
            return longest
        }
    }

    /// The attempt succeeded: the user's failures are cleared, and the attempt no longer counts
    /// against the address (earlier failures from it still do).
    public func succeeded(user: String, address: String) {
        failures.withLock { failures in
            failures.removeValue(forKey: Self.userKey(user))
            Self.dropLatest(Self.addressKey(address), in: &failures)
        }
    }

    /// The attempt was no guess (Preservica could not be asked): it counts for neither.
    public func withdraw(user: String, address: String) {
        failures.withLock { failures in
            Self.dropLatest(Self.userKey(user), in: &failures)
            Self.dropLatest(Self.addressKey(address), in: &failures)
        }
    }

    private static func dropLatest(_ key: String, in failures: inout [String: [ContinuousClock.Instant]]) {
        guard var list = failures[key], !list.isEmpty else { return }
        list.removeLast()
        failures[key] = list.isEmpty ? nil : list
    }

    private static func userKey(_ user: String) -> String { "user:" + user.lowercased() }

    /// The address without its port: `127.0.0.1:53122` → `127.0.0.1`, `[::1]:53122` → `::1`.
    /// An IPv6 address counts by its /64 (`[2001:db8:1:2::7]:53122` → `2001:db8:1:2::/64`;
    /// ``PeerGroup``): one host commonly holds a whole /64 and could otherwise try 20 passwords
    /// from each address.
    static func addressKey(_ address: String) -> String {
        var host = address
        if address.hasPrefix("["), let close = address.firstIndex(of: "]") {
            host = String(address[address.index(after: address.startIndex)..<close])
        } else if let colon = address.lastIndex(of: ":"), address.firstIndex(of: ":") == colon {
            host = String(address[..<colon])
        }
        return "address:" + PeerGroup.key(host)
    }
}
