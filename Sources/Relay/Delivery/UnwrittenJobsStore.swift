import Synchronization

/// What each channel's loop knew of jobs the outbox could not be told (``UnwrittenJobs``), kept
/// across a reload or a console save: they stop every channel's loop and start a new one, which
/// would otherwise post again, at once, a card refused for good or one waiting for its
/// `Retry-After`. Owned by the relay's core; a restart forgets it, as it forgets the rest.
final class UnwrittenJobsStore: Sendable {
    private let channels = Mutex<[String: UnwrittenJobs]>([:])

    /// An empty store.
    init() {}

    /// What the last loop of `channel` left, which is forgotten here: the new loop owns it.
    func take(_ channel: String) -> UnwrittenJobs {
        channels.withLock { $0.removeValue(forKey: channel) } ?? UnwrittenJobs()
    }

    /// Forgets the channels not in `names` (a reload removed them).
    func keepOnly(_ names: Set<String>) {
        channels.withLock { $0 = $0.filter { names.contains($0.key) } }
    }

    /// Keeps what the loop of `channel` knows as it ends, for the next one.
    func keep(_ unwritten: UnwrittenJobs, for channel: String) {
        channels.withLock { $0[channel] = unwritten.isEmpty ? nil : unwritten }
    }
}
