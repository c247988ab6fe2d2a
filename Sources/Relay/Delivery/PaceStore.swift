import ChatTargets
import Synchronization

/// Each channel's ``TokenBucket``, kept across a reload or a console save: they stop every
/// channel's loop and start a new one, whose bucket would otherwise start full again and let a
/// channel post over its service's limit (Teams counts a bot's posts over a whole hour). A
/// channel whose paces changed gets a new bucket. Owned by the relay's core; a restart forgets it.
final class PaceStore: Sendable {
    private let buckets = Mutex<[String: TokenBucket]>([:])

    /// An empty store.
    init() {}

    /// The bucket of `channel` for `paces`: the one kept, when it has those paces, else a new one.
    func bucket(for channel: String, paces: [PostPace], clock: any RelayClock) -> TokenBucket {
        buckets.withLock { buckets in
            if let kept = buckets[channel], kept.paces == paces { return kept }
            let fresh = TokenBucket(paces: paces, clock: clock)
            buckets[channel] = fresh
            return fresh
        }
    }

    /// Forgets the channels not in `names` (a reload removed them).
    func keepOnly(_ names: Set<String>) {
        buckets.withLock { $0 = $0.filter { names.contains($0.key) } }
    }
}
