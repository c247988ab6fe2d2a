import Preservica

/// What the worker takes next from the incoming journal, in order, each record with the
/// receiver's parse of it when that was kept.
///
/// While the notifications the receiver handed over follow on from where the feed stands in the
/// journal, they are taken as they are, and the journal is not read at all. Otherwise (after a
/// restart, at a new segment, or when the hand-over queue was full) the journal is read from
/// where the feed stands, which is always complete. Nothing is read when every durable record has
/// been taken already.
final class IncomingFeed {
    private let reader: JournalReader
    private let spooled: SpooledNotifications?
    /// The last sequence taken, or the cursor's when nothing has been taken since the start.
    private(set) var lastTaken: UInt64

    /// A feed over the journal in `directory` that skips what the cursor (`taken`) has passed.
    init(directory: String, spooled: SpooledNotifications?, after taken: UInt64) {
        reader = JournalReader(directory: directory, after: taken)
        self.spooled = spooled
        lastTaken = taken
    }

    /// The records after the last taken, up to `durable` when read from the journal, at most
    /// `limit` when handed over.
    func next(durable: UInt64, limit: Int) -> [(record: JournalRecord, parsed: WebhookNotification?)] {
        if let spooled {
            let position = reader.position
            let run = spooled.takeRun(segment: position.segment, offset: position.offset, after: lastTaken, limit: limit)
            if let last = run.last {
                reader.move(past: last.extent)
                lastTaken = last.sequence
                return run.map { ($0.record, $0.notification) }
            }
        }
        guard durable > lastTaken else { return [] }
        // Read on past records taken already (the rest of the segment the cursor is in) until
        // something new turns up or the journal ends.
        while true {
            let read = reader.readNew(durable: durable)
            let records = read.filter { $0.sequence > lastTaken }
            if records.isEmpty && !read.isEmpty { continue }
            if let last = records.last { lastTaken = last.sequence }
            return records.map { ($0, spooled?.take($0.sequence)) }
        }
    }
}
