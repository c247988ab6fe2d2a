import Hashing
import Preservica
import Synchronization

/// The console's sessions, in memory only (a restart signs everyone out, which is the safe
/// direction). A session ends after `idleTimeout` without use or `lifetime` after sign-in,
/// whichever comes first, and on sign-out. Sessions are found by the SHA-256 of their id, so the
/// lookup's timing says nothing about the ids held.
public final class SessionStore: Sendable {
    private let sessions = Mutex<[String: ConsoleSession]>([:])
    private let clock: ConsoleClock
    /// A session unused this long ends.
    public let idleTimeout: Duration
    /// A session ends this long after sign-in.
    public let lifetime: Duration

    /// An empty store.
    public init(idleTimeout: Duration, lifetime: Duration, clock: ConsoleClock = .system) {
        self.idleTimeout = idleTimeout
        self.lifetime = lifetime
        self.clock = clock
    }

    /// The most sessions one person (user name in a tenant) holds at once: a browser or two on a
    /// few machines. Each sign-in past it ends that person's least recently used session, so
    /// signing in again and again cannot fill memory.
    public static let perUser = 10

    /// Starts a session for `user`.
    public func create(for user: PreservicaUser, isAdmin: Bool) -> ConsoleSession {
        let now = clock.now()
        let session = ConsoleSession(id: RandomToken.make(), csrfToken: RandomToken.make(), user: user, isAdmin: isAdmin,
                                     created: now, lastUsed: now)
        sessions.withLock { sessions in
            let theirs = sessions.filter { $0.value.user.username == user.username && $0.value.user.tenant == user.tenant }
            if theirs.count >= Self.perUser {
                for (key, _) in theirs.sorted(by: { $0.value.lastUsed < $1.value.lastUsed }).prefix(theirs.count - Self.perUser + 1) {
                    sessions[key] = nil
                }
            }
            sessions[Self.key(session.id)] = session
        }
        return session
    }

    /// The live session with `id`, marked as used now; nil (and forgotten) when it has expired.
    public func session(_ id: String) -> ConsoleSession? {
        let now = clock.now()
        let key = Self.key(id)
        return sessions.withLock { sessions in
            guard var session = sessions[key] else { return nil }
            guard now - session.lastUsed < idleTimeout, now - session.created < lifetime else {
                sessions[key] = nil
                return nil
            }
            session.lastUsed = now
            sessions[key] = session
            return session
        }
    }

    /// Ends the session with `id`.
    public func end(_ id: String) {
        _ = sessions.withLock { $0.removeValue(forKey: Self.key(id)) }
    }

    /// Forgets every expired session; returns how many remain.
    @discardableResult
    public func sweep() -> Int {
        let now = clock.now()
        return sessions.withLock { sessions in
            sessions = sessions.filter { now - $0.value.lastUsed < idleTimeout && now - $0.value.created < lifetime }
            return sessions.count
        }
    }

    /// Sessions held (expired ones included until swept).
    public var count: Int { sessions.withLock { $0.count } }

    private static func key(_ id: String) -> String { Hex.encode(SHA256.hash(Array(id.utf8))) }
}
