import ChatTargets
import Synchronization

/// The ``TokenBucket`` of each pace scope (`ChatTargetKind.paceScope(of:)`: what the service's
/// limit counts, a webhook, a Matrix account, a Google Chat space), shared by the channels of one
/// scope, and kept across a reload or a console save: they stop every channel's loop and start a
/// new one, whose bucket would otherwise start full again and let a channel post over its
/// service's limit (Teams counts a bot's posts over a whole hour). New paces get a new bucket.
/// Owned by the relay's core; a restart forgets it.
final class PaceStore: Sendable {
    private let buckets = Mutex<[String: TokenBucket]>([:])

    /// An empty store.
    init() {}

    /// The bucket of `scope` for `paces`: the one kept, when it has those paces, else a new one.
    func bucket(for scope: String, paces: [PostPace], clock: any RelayClock) -> TokenBucket {
        buckets.withLock { buckets in
            if let kept = buckets[scope], kept.paces == paces { return kept }
            let fresh = TokenBucket(paces: paces, clock: clock)
            buckets[scope] = fresh
            return fresh
        }
    }

    /// Forgets the scopes not in `scopes` (a reload removed their channels).
    func keepOnly(_ scopes: Set<String>) {
        buckets.withLock { $0 = $0.filter { scopes.contains($0.key) } }
    }
}
