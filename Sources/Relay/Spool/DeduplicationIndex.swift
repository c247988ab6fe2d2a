import Synchronization
import Hashing

/// Remembers which notifications are already in the journal, so a repeated delivery is answered
/// 200 without being spooled twice.
///
/// A key is "pending" from the moment its first copy starts being written until the write
/// succeeds or fails; a duplicate arriving meanwhile waits for that outcome rather than being
/// acknowledged before the original is on disk. The oldest keys are forgotten past `capacity`.
/// Keys are held as the first 128 bits of their SHA-256 (16 bytes each instead of a ~110-byte
/// string), where a collision is as unlikely as guessing a random 128-bit number.
public final class DeduplicationIndex: Sendable {
    /// What ``claim(_:)`` decided.
    public enum Claim: Sendable, Equatable {
        /// First sighting: the caller must write it and then call ``resolve(_:durable:)``.
        case new
        /// Already on disk.
        case duplicate
        /// Another copy was being written and that write failed.
        case failedElsewhere
    }

    private enum Entry {
        case durable
        case pending([CheckedContinuation<Claim, Never>])
    }

    /// A key as the index holds it. The receiver makes it once per notification and passes it to
    /// both the claim and the resolution, which runs where the journal's batch was written (its writer
    /// thread, or the event loop that committed it).
    public struct Digest: Hashable, Sendable {
        var high: UInt64
        var low: UInt64

        public init(_ key: String) {
            let hash = SHA256.hash(Array(key.utf8))
            high = hash[0..<8].reduce(0) { $0 << 8 | UInt64($1) }
            low = hash[8..<16].reduce(0) { $0 << 8 | UInt64($1) }
        }
    }

    private struct State {
        var entries: [Digest: Entry] = [:]
        var order: [Digest] = []
        var orderStart = 0
        /// Keys whose write failed: each failure left a place in `order` that is no longer theirs
        /// (a claim again takes a new one), so reaching it must not forget the key.
        var stale: [Digest: Int] = [:]
    }

    private let state = Mutex(State())
    private let capacity: Int

    /// An index that remembers up to `capacity` keys.
    public init(capacity: Int = 100_000) {
        self.capacity = capacity
    }

    /// Records `key` as already durable (used when rebuilding from the journal at start-up).
    public func insertDurable(_ key: String) {
        let key = Digest(key)
        state.withLock { state in
            if state.entries[key] == nil { remember(key, in: &state) }
            state.entries[key] = .durable
        }
    }

    /// Claims `key` without waiting: nil when another copy is being written right now
    /// (then use ``claim(_:)`` to wait for its outcome).
    public func claimNow(_ key: Digest) -> Claim? {
        state.withLock { state in
            switch state.entries[key] {
            case .none:
                state.entries[key] = .pending([])
                remember(key, in: &state)
                return .new
            case .durable:
                return .duplicate
            case .pending:
                return nil
            }
        }
    }

    /// Claims `key`, or waits for the copy already being written.
    public func claim(_ key: Digest) async -> Claim {
        await withCheckedContinuation { (continuation: CheckedContinuation<Claim, Never>) in
            let immediate: Claim? = state.withLock { state in
                switch state.entries[key] {
                case .none:
                    state.entries[key] = .pending([])
                    remember(key, in: &state)
                    return .new
                case .durable:
                    return .duplicate
                case .pending(let waiters):
                    state.entries[key] = .pending(waiters + [continuation])
                    return nil
                }
            }
            if let immediate { continuation.resume(returning: immediate) }
        }
    }

    /// Ends a claim: `durable` true marks the key as on disk; false forgets it so a retry can write it.
    public func resolve(_ key: Digest, durable: Bool) {
        let waiters: [CheckedContinuation<Claim, Never>] = state.withLock { state in
            guard case .pending(let waiters) = state.entries[key] else { return [] }
            state.entries[key] = durable ? .durable : nil
            if !durable { state.stale[key, default: 0] += 1 }
            return waiters
        }
        for waiter in waiters { waiter.resume(returning: durable ? .duplicate : .failedElsewhere) }
    }

    private func remember(_ key: Digest, in state: inout State) {
        state.order.append(key)
        while state.order.count - state.orderStart > capacity {
            let oldest = state.order[state.orderStart]
            state.orderStart += 1
            if let left = state.stale[oldest] {
                // A place left by a failed write: the key, if written since, stays for its newer place.
                state.stale[oldest] = left > 1 ? left - 1 : nil
            } else if case .durable = state.entries[oldest] {
                state.entries[oldest] = nil
            }
        }
        if state.orderStart > capacity {
            state.order.removeFirst(state.orderStart)
            state.orderStart = 0
        }
    }
}
