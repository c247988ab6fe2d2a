import Foundation

/// Reads the incoming journal forward from where it left off, across segments, without
/// re-reading what it has already seen. Records still being written are left for the next read.
final class JournalReader {
    private let directory: String
    private var segment: Int
    private var offset: UInt64 = 0

    /// A reader starting at the oldest segment, or, given the sequence of the last record taken
    /// already, at the newest segment that starts at or before the one after it: finished
    /// segments are kept for a month, and reading them through at every start or reload would
    /// hold up the first new notification.
    init(directory: String, after taken: UInt64 = 0) {
        self.directory = directory
        let numbers = IncomingJournal.segmentNumbers(in: directory)
        segment = numbers.last { number in
            IncomingJournal.firstSequence(IncomingJournal.segmentPath(directory, number)).map { $0 <= taken + 1 } ?? false
        } ?? numbers.first ?? 1
    }

    /// The segment and offset the next read starts from.
    var position: (segment: Int, offset: UInt64) { (segment, offset) }

    /// Moves past a record taken without reading it (the writer handed it over).
    func move(past extent: JournalExtent) {
        segment = extent.segment
        offset = extent.end
    }

    /// Whole records written since the last call, about `maxBytes` of them at most, so a long
    /// backlog is read a piece at a time instead of all at once. Only records numbered up to
    /// `durable` are returned: a record the writer has written but not yet synced may still be
    /// taken back, and the reader must not move past it.
    func readNew(maxBytes: Int = 4 << 20, durable: UInt64 = .max) -> [JournalRecord] {
        var records: [JournalRecord] = []
        // Whether this segment has been read again since a later one was found.
        var lastLook = false
        while true {
            let path = IncomingJournal.segmentPath(directory, segment)
            // Whether this segment holds reserved zeros where its next record would start.
            var reachedReserve = false
            if let handle = FileHandle(forReadingAtPath: path) {
                defer { try? handle.close() }
                var chunk = maxBytes
                while true {
                    try? handle.seek(toOffset: offset)
                    let data = (try? handle.read(upToCount: chunk)) ?? Data()
                    let decoded = JournalFormat.decodeWithEnds(Array(data))
                    let usable = decoded.prefix { $0.record.sequence <= durable }
                    records += usable.map(\.record)
                    offset += UInt64(usable.last?.end ?? 0)
                    // Space the writer reserved ahead of its last record starts with a zero byte.
                    reachedReserve = decoded.isEmpty && data.first == 0
                    // A record larger than the chunk: read more at once, up to the whole rest of the file.
                    if decoded.isEmpty && data.count == chunk && !reachedReserve { chunk *= 2; continue }
                    if usable.count < decoded.count { return records }
                    break
                }
                if !records.isEmpty { return records }
            }
            // Move on only when a later segment exists: the writer never goes back to an older one.
            guard let next = IncomingJournal.segmentNumbers(in: directory).first(where: { $0 > segment }) else { return records }
            // The writer cuts a finished segment back to its last record before it creates the
            // next, so this segment now holds all it ever will. The read above may have come
            // before the writer's last batch into its reserved zeros: read it once more.
            if !lastLook {
                lastLook = true
                continue
            }
            // What is left of this segment is either unread records or (after a crash before it
            // was cut) reserved zeros.
            let remaining = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? UInt64) ?? 0
            if remaining > offset && !reachedReserve { return records }
            segment = next
            offset = 0
            lastLook = false
        }
    }
}
