import Preservica
import Synchronization

/// The notifications the receiver has just spooled, already parsed, kept for the worker so it
/// does not parse each one a second time when it reads the journal. The journal stays the
/// durable copy: the worker still reads every record from it, and parses the body itself when a
/// notification is not here (after a restart, or when `capacity` notifications or `byteBudget`
/// bytes of bodies were already waiting, as when Preservica is slow and the worker behind).
///
/// Both sides go in sequence order (the journal's writer completes appends in order, the worker
/// reads them in order), so this is a queue: taking a sequence drops any older entry the worker
/// passed without asking for it.
final class SpooledNotifications: Sendable {
    private struct Queue {
        var entries: [(sequence: UInt64, notification: WebhookNotification, bytes: Int)] = []
        var head = 0
        var bytes = 0
        var count: Int { entries.count - head }
    }

    private let queue = Mutex(Queue())
    private let handed = Atomic<Int>(0)
    /// At most this many wait here; beyond it the worker parses from the journal.
    let capacity: Int
    /// At most this many bytes of bodies wait here (a parsed body takes a few times its size).
    let byteBudget: Int

    init(capacity: Int = 1024, byteBudget: Int = 4 << 20) {
        self.capacity = capacity
        self.byteBudget = byteBudget
    }

    /// Keeps `notification`, spooled as `sequence` from a body of `bytes`, unless the queue is
    /// full or it comes out of order.
    func keep(_ notification: WebhookNotification, sequence: UInt64, bytes: Int) {
        queue.withLock { queue in
            guard queue.count < capacity, queue.bytes + bytes <= byteBudget,
                  queue.entries.last.map({ $0.sequence < sequence }) ?? true else { return }
            queue.entries.append((sequence, notification, bytes))
            queue.bytes += bytes
        }
    }

    /// The notification spooled as `sequence`, once; nil when it was not kept. Older entries go.
    func take(_ sequence: UInt64) -> WebhookNotification? {
        queue.withLock { queue in
            while queue.head < queue.entries.count && queue.entries[queue.head].sequence < sequence {
                queue.bytes -= queue.entries[queue.head].bytes
                queue.head += 1
            }
            var found: WebhookNotification?
            if queue.head < queue.entries.count && queue.entries[queue.head].sequence == sequence {
                found = queue.entries[queue.head].notification
                handed.add(1, ordering: .relaxed)
                queue.bytes -= queue.entries[queue.head].bytes
                queue.head += 1
            }
            if queue.head == queue.entries.count {
                queue.entries.removeAll(keepingCapacity: true)
                queue.head = 0
            } else if queue.head >= 64 && queue.head * 2 >= queue.entries.count {
                queue.entries.removeFirst(queue.head)
                queue.head = 0
            }
            return found
        }
    }

    /// How many notifications the worker has taken from here rather than parsed again.
    var handedOver: Int { handed.load(ordering: .relaxed) }

    /// How many are waiting.
    var count: Int { queue.withLock { $0.count } }
}
