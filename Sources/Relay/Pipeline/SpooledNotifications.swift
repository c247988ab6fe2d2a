import Preservica
import Synchronization

/// The notifications the receiver has just spooled, with their journal records and already
/// parsed, kept for the worker so it neither reads them back from the journal nor parses them a
/// second time. The journal stays the durable copy: the worker reads from it whenever what is here
/// does not follow on from where it stands in the journal (after a restart, at a new segment, or
/// when `capacity` notifications or `byteBudget` bytes of bodies were already waiting, as when
/// Preservica is slow and the worker behind).
///
/// Both sides go in sequence order (the journal's writer completes appends in order, the worker
/// reads them in order), so this is a queue: taking drops any older entry the worker passed.
final class SpooledNotifications: Sendable {
    typealias Entry = WebhookReceiver.Spooled

    private struct Queue {
        var entries: [Entry] = []
        var head = 0
        var bytes = 0
        var count: Int { entries.count - head }

        mutating func dropFirst() {
            bytes -= entries[head].record.body.count
            head += 1
        }

        /// Keeps the storage small once the head has moved on.
        mutating func compact() {
            if head == entries.count {
                entries.removeAll(keepingCapacity: true)
                head = 0
            } else if head >= 64 && head * 2 >= entries.count {
                entries.removeFirst(head)
                head = 0
            }
        }
    }

    private let queue = Mutex(Queue())
    private let handed = Atomic<Int>(0)
    /// At most this many wait here; beyond it the worker reads from the journal.
    let capacity: Int
    /// At most this many bytes of bodies wait here (a parsed body takes a few times its size).
    let byteBudget: Int

    init(capacity: Int = 1024, byteBudget: Int = 4 << 20) {
        self.capacity = capacity
        self.byteBudget = byteBudget
    }

    /// Keeps `entry` unless the queue is full or it comes out of order.
    func keep(_ entry: Entry) {
        queue.withLock { queue in
            guard queue.count < capacity, queue.bytes + entry.record.body.count <= byteBudget,
                  queue.entries.last.map({ $0.sequence < entry.sequence }) ?? true else { return }
            queue.entries.append(entry)
            queue.bytes += entry.record.body.count
        }
    }

    /// The notification spooled as `sequence`, once; nil when it was not kept. Older entries go.
    func take(_ sequence: UInt64) -> WebhookNotification? {
        queue.withLock { queue in
            while queue.head < queue.entries.count && queue.entries[queue.head].sequence < sequence { queue.dropFirst() }
            var found: WebhookNotification?
            if queue.head < queue.entries.count && queue.entries[queue.head].sequence == sequence {
                found = queue.entries[queue.head].notification
                handed.add(1, ordering: .relaxed)
                queue.dropFirst()
            }
            queue.compact()
            return found
        }
    }

    /// The entries that follow on, record after record, from `offset` in `segment`, after
    /// dropping those up to `sequence` (the worker has them already); at most `limit`. Empty when
    /// the next entry starts anywhere else: the journal holds something this queue missed.
    func takeRun(segment: Int, offset: UInt64, after sequence: UInt64, limit: Int) -> [Entry] {
        queue.withLock { queue in
            while queue.head < queue.entries.count && queue.entries[queue.head].sequence <= sequence { queue.dropFirst() }
            var run: [Entry] = []
            var next = offset
            while run.count < limit && queue.head < queue.entries.count {
                let entry = queue.entries[queue.head]
                guard entry.extent.segment == segment && entry.extent.start == next else { break }
                run.append(entry)
                next = entry.extent.end
                queue.dropFirst()
            }
            handed.add(run.count, ordering: .relaxed)
            queue.compact()
            return run
        }
    }

    /// How many notifications the worker has taken from here rather than parsed again.
    var handedOver: Int { handed.load(ordering: .relaxed) }

    /// How many are waiting.
    var count: Int { queue.withLock { $0.count } }
}
