import Foundation
import HTTPServer
import Dispatch
import Synchronization

/// The append-only journal under `<dataDir>/incoming/` that makes each verified notification
/// durable before the relay answers 200.
///
/// Group commit: appenders queue their records; one writer at a time (the writer thread, or an
/// event loop where syncs are cheap) writes everything queued in a single `write` and covers it
/// with a single `fdatasync`. While that sync runs, new records queue up for the next one, so the
/// cost of a sync is shared by every request that arrived during the previous one. Files are
/// `journal-000001.log`, `journal-000002.log`... (a new one every 64 MiB).
public final class IncomingJournal: Sendable {
    /// Largest segment before a new file is started.
    static let segmentLimit = 64 << 20
    /// Within this of ``segmentLimit`` only the writer thread commits (it may start a new segment).
    static let rolloverMargin = 4 << 20

    /// Once a segment holds this much, the writer keeps space reserved ahead of its last record:
    /// zeros, written once, so that a later batch overwrites blocks the file already has and its
    /// `fdatasync` need not also commit a new file size through the filesystem's journal. Below
    /// it a segment is exactly as long as its records (a quiet relay's journal stays small), and
    /// so is every segment while syncs are cheap (tmpfs): reserving would save nothing there.
    static let reserveFrom = 1 << 20
    /// The most reserved ahead at once: as much as the segment already holds, at most this.
    static let reserveStep = 4 << 20

    /// Where the reserved space should end when records end at `end`.
    static func reservedEnd(forRecordsEndingAt end: Int) -> Int {
        guard end >= reserveFrom else { return end }
        return max(end, min(segmentLimit, end + min(reserveStep, end)))
    }

    /// The `incoming/` directory.
    public let directory: String

    private struct Pending {
        var payload: JournalFormat.Payload
        var onDurable: (@Sendable (UInt64, JournalExtent) -> Void)?
        var completion: @Sendable (Result<UInt64, JournalError>) -> Void
    }

    private struct Shared {
        var lastSequence: UInt64 = 0
        var pending: [Pending] = []
        var writerActive = false
        var healthy = true
        var lastProbe: ContinuousClock.Instant?
    }

    /// File state touched only by the writer of the moment (`writerActive`): the writer thread, or
    /// an event loop committing a batch itself.
    private final class WriterState: @unchecked Sendable {
        var fd: Int32 = -1
        var segment = 1
        /// Where the last whole record ends.
        var size = 0
        /// Where the file ends: past `size` it holds only reserved zeros.
        var allocated = 0
        /// After a reservation failed (a disk nearly full), none is tried before this: each try
        /// fills the disk for a moment, and other files written then would fail too.
        var reserveAgainAt: ContinuousClock.Instant?
        var nextSequence: UInt64 = 1

        /// Whether a reservation may be tried now.
        var mayReserve: Bool { reserveAgainAt.map { ContinuousClock.now >= $0 } ?? true }

        /// Whether the next batch may have to start a new segment, or reopen this one after a
        /// failed write: work for the writer thread, not for an event loop.
        var nearingRollover: Bool { fd < 0 || size > IncomingJournal.segmentLimit - IncomingJournal.rolloverMargin }
    }

    private let shared = Mutex(Shared())
    private let writerQueue = DispatchQueue(label: "relay.journal.writer")
    private let writer = WriterState()

    /// Opens (creating if needed) the journal in `directory`, repairs a torn tail left by a crash,
    /// and returns the records already there.
    /// `inlineSyncLimit` is the longest `fdatasync` (ns) after which an event loop still commits a
    /// batch itself (tests choose it; see ``defaultInlineSyncLimit``).
    public static func open(directory: String, inlineSyncLimit: Int = defaultInlineSyncLimit) throws(JournalError)
        -> (IncomingJournal, [JournalRecord]) {
        let journal = IncomingJournal(directory: directory, inlineSyncLimit: inlineSyncLimit)
        let records = try journal.recover()
        return (journal, records)
    }

    private init(directory: String, inlineSyncLimit: Int) {
        self.directory = directory
        self.inlineSyncLimit = inlineSyncLimit
    }

    deinit {
        if writer.fd >= 0 { Glibc.close(writer.fd) }
    }

    /// The sequence number of the last record on disk.
    public var lastSequence: UInt64 { shared.withLock { $0.lastSequence } }

    /// The segments synced when the journal was opened: a record found there may have been
    /// written by a relay killed before its `fdatasync`, and so never answered; it is in the page
    /// cache, not yet on the disk. Each is synced before any record is treated as durable (a
    /// retry of it answered as a duplicate).
    public var segmentsSyncedAtOpen: Int { syncedAtOpen.load(ordering: .relaxed) }
    private let syncedAtOpen = Atomic<Int>(0)

    /// False after a failed write, until a write or a probe succeeds again.
    public var isHealthy: Bool { shared.withLock { $0.healthy } }

    /// Group commits so far (one write and one `fdatasync` each, for every notification queued
    /// while the one before was written).
    public var syncCount: Int { syncs.load(ordering: .relaxed) }
    private let syncs = Atomic<Int>(0)

    /// Appends a notification and returns once it is on disk (after the group's `fdatasync`).
    /// Returns its sequence number; throws ``JournalError`` when it could not be made durable.
    public func append(metadata: ReceiptMetadata, body: [UInt8]) async throws(JournalError) -> UInt64 {
        let result = await withCheckedContinuation { continuation in
            append(metadata: metadata, body: body) { continuation.resume(returning: $0) }
        }
        return try result.get()
    }

    /// Appends a notification and calls `completion` once it is on disk (or could not be written),
    /// on the thread that wrote it: the writer thread, or the event loop that committed the batch.
    /// The request path uses this form to answer without a detour through the cooperative pool.
    /// `onDurable`, when given, runs there too, with the record's sequence and where it lies once
    /// it is on disk, and before readers can see it (before ``lastSequence`` moves past it).
    public func append(metadata: ReceiptMetadata, body: [UInt8], onDurable: (@Sendable (UInt64, JournalExtent) -> Void)? = nil,
                       completion: @escaping @Sendable (Result<UInt64, JournalError>) -> Void) {
        let pending = Pending(payload: JournalFormat.Payload(metadata: metadata, body: body), onDurable: onDurable,
                              completion: completion)
        let startWriter = shared.withLock { state -> Bool in
            state.pending.append(pending)
            if state.writerActive { return false }
            state.writerActive = true
            return true
        }
        guard startWriter else { return }
        // On an event loop, the batch is started once the loop has read every request of its
        // round, so they make one batch (and one fdatasync) instead of one wake-up each. Where a
        // sync costs next to nothing (tmpfs, a disk with a power-safe cache) the loop commits the
        // batch itself: handing it to the writer thread and the answers back would cost more.
        let commit: @Sendable () -> Void = { [self] in
            if syncsAreCheap && !writer.nearingRollover {
                commitOnLoop()
            } else {
                writerQueue.async { self.drain() }
            }
        }
        if !HTTPServer.afterThisRound(commit) { writerQueue.async { self.drain() } }
    }

    /// The longest `fdatasync` (ns) after which an event loop still commits a batch itself: tmpfs
    /// takes about a microsecond. Above it (a disk's flush, 0.1 ms and more) the loop hands the
    /// batch to the writer thread and goes on with its connections.
    public static let defaultInlineSyncLimit = 20_000
    private let inlineSyncLimit: Int
    /// How long the last group commit's `fdatasync` took (ns); unknown, and so long, at first.
    private let lastSyncNanoseconds = Atomic<Int>(.max)
    /// Whether the last `fdatasync` took at most ``inlineSyncLimit``.
    private var syncsAreCheap: Bool { lastSyncNanoseconds.load(ordering: .relaxed) <= inlineSyncLimit }

    /// Group commits made on an event loop instead of the writer thread.
    public var commitsOnLoop: Int { loopCommits.load(ordering: .relaxed) }
    private let loopCommits = Atomic<Int>(0)
    /// Times a loop, after its batch, handed what was queued meanwhile to the writer thread.
    public var commitsHandedOn: Int { handedOn.load(ordering: .relaxed) }
    private let handedOn = Atomic<Int>(0)

    /// One batch, of everything queued when the loop's round ended, on the calling event loop.
    /// What is queued while it writes goes to the writer thread, so no loop spends its rounds
    /// writing for the others. Only the writer thread starts a new segment (closing, creating and
    /// syncing the directory) or reopens one after a failed write (reading it back whole).
    private func commitOnLoop() {
        loopCommits.add(1, ordering: .relaxed)
        if !drain(batches: 1) {
            handedOn.add(1, ordering: .relaxed)
            writerQueue.async { self.drain() }
        }
    }

    /// Whether the spool can take writes now. When the last write failed this tries a real write
    /// and sync of 64 KiB in `incoming/` (at most once a second), so readiness recovers on its own
    /// when space returns.
    public func checkWritable() async -> Bool {
        let shouldProbe = shared.withLock { state -> Bool in
            guard !state.healthy else { return false }
            let now = ContinuousClock.now
            if let last = state.lastProbe, now - last < .seconds(1) { return false }
            state.lastProbe = now
            return true
        }
        guard shouldProbe else { return isHealthy }
        let ok = await withCheckedContinuation { continuation in
            writerQueue.async { continuation.resume(returning: self.probe()) }
        }
        if ok { shared.withLock { $0.healthy = true } }
        return ok
    }

    // MARK: - Writer (the writer thread, or a loop committing itself)

    /// Writes what is queued, batch after batch, until nothing is (true) or `batches` have been
    /// written with more still queued (false: the caller is still the writer and must go on or
    /// hand on). Only one caller at a time is the writer (`writerActive`), on whichever thread.
    @discardableResult
    private func drain(batches: Int = .max) -> Bool {
        var written = 0
        while true {
            let batch = shared.withLock { state -> [Pending]? in
                if state.pending.isEmpty {
                    state.writerActive = false
                    return nil
                }
                if written == batches { return [] }
                defer { state.pending.removeAll(keepingCapacity: true) }
                return state.pending
            }
            guard let batch else { return true }
            if batch.isEmpty { return false }
            write(batch)
            written += 1
        }
    }

    private func write(_ batch: [Pending]) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(batch.reduce(0) { $0 + $1.payload.body.count + $1.payload.metadata.count + 100 })
        let firstSequence = writer.nextSequence
        // Where each record starts within `bytes`, and where the last one ends.
        var starts: [Int] = []
        starts.reserveCapacity(batch.count + 1)
        for (offset, pending) in batch.enumerated() {
            starts.append(bytes.count)
            pending.payload.encode(sequence: firstSequence + UInt64(offset), into: &bytes)
        }
        starts.append(bytes.count)
        var sizeBefore = writer.size
        do throws(JournalError) {
            if writer.fd >= 0 && writer.size > 0 && writer.size + bytes.count > Self.segmentLimit {
                // The finished segment ends at its last record: its reserved zeros go.
                if writer.allocated > writer.size { _ = ftruncate(writer.fd, off_t(writer.size)) }
                Glibc.close(writer.fd)
                writer.fd = -1
                writer.segment += 1
                writer.size = 0
                writer.allocated = 0
            }
            try openSegmentIfNeeded()
            // Measured after a rollover, so a failed write never extends the new segment.
            sizeBefore = writer.size
            try writeAll(bytes, at: sizeBefore)
            let end = sizeBefore + bytes.count
            if end > writer.allocated {
                if !syncsAreCheap && writer.mayReserve { reserve(after: end) } else { writer.allocated = end }
            }
            let syncStart = DispatchTime.now().uptimeNanoseconds
            guard fdatasync(writer.fd) == 0 else { throw JournalError.system("fdatasync", segmentPath(writer.segment)) }
            lastSyncNanoseconds.store(Int(DispatchTime.now().uptimeNanoseconds - syncStart), ordering: .relaxed)
            syncs.add(1, ordering: .relaxed)
            writer.size = end
            writer.nextSequence += UInt64(batch.count)
            let last = writer.nextSequence - 1
            for (offset, pending) in batch.enumerated() {
                pending.onDurable?(firstSequence + UInt64(offset),
                                   JournalExtent(segment: writer.segment, start: UInt64(sizeBefore + starts[offset]),
                                                 end: UInt64(sizeBefore + starts[offset + 1])))
            }
            shared.withLock {
                $0.healthy = true
                $0.lastSequence = last
            }
            for (offset, pending) in batch.enumerated() {
                pending.completion(.success(firstSequence + UInt64(offset)))
            }
            if sizeBefore == 0 && writer.segment > 1 {
                // A new segment has its first records: older ones the pipeline is done with may go.
                Self.pruneTakenSegments(directory: directory, before: writer.segment)
            }
        } catch {
            // Take back whatever part of the batch reached the file, so the journal ends on a whole record.
            if writer.fd >= 0 && ftruncate(writer.fd, off_t(sizeBefore)) != 0 {
                Glibc.close(writer.fd)
                writer.fd = -1
            }
            writer.allocated = sizeBefore
            // Those numbers were never acknowledged, but a reader may have seen them: never use them again.
            writer.nextSequence += UInt64(batch.count)
            shared.withLock { $0.healthy = false }
            for pending in batch { pending.completion(.failure(error)) }
        }
    }

    /// Writes `bytes` at `position` in the current segment, over partial writes and EINTR.
    private func writeAll(_ bytes: [UInt8], at position: Int) throws(JournalError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.pwrite(writer.fd, $0.baseAddress! + offset, $0.count - offset, off_t(position + offset)) }
            if written < 0 {
                if errno == EINTR { continue }
                throw JournalError.system("write", segmentPath(writer.segment))
            }
            offset += written
        }
    }

    private static let zeros = [UInt8](repeating: 0, count: 64 << 10)
    /// How long the writer goes without reserving after a reservation failed.
    static let reserveRetry = Duration.seconds(60)

    /// Reserves space after the records ending at `end` (see ``reserveFrom``), covered by the
    /// batch's `fdatasync`. It is a saving, not a promise: when the space cannot be had (a full
    /// disk, a file-size limit), the segment is cut back to its records and the batch goes on.
    private func reserve(after end: Int) {
        let target = Self.reservedEnd(forRecordsEndingAt: end)
        var position = end
        while position < target {
            let count = min(Self.zeros.count, target - position)
            let written = Self.zeros.withUnsafeBytes { Glibc.pwrite(writer.fd, $0.baseAddress!, count, off_t(position)) }
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else {
                _ = ftruncate(writer.fd, off_t(end))
                writer.allocated = end
                writer.reserveAgainAt = ContinuousClock.now + Self.reserveRetry
                return
            }
            position += written
        }
        writer.allocated = target
        writer.reserveAgainAt = nil
    }

    /// Opens the current segment for appending; after a failure it re-reads the tail to find
    /// the end of the last whole record.
    private func openSegmentIfNeeded() throws(JournalError) {
        guard writer.fd < 0 else { return }
        let path = segmentPath(writer.segment)
        let existed = FileManager.default.fileExists(atPath: path)
        let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw JournalError.system("open", path) }
        if existed {
            let bytes = Array(FileManager.default.contents(atPath: path) ?? Data())
            let good = JournalFormat.decode(bytes).goodLength
            if good < bytes.count && ftruncate(fd, off_t(good)) != 0 {
                let code = errno
                Glibc.close(fd)
                throw JournalError.system("ftruncate", path, code)
            }
            writer.size = good
            writer.allocated = good
        } else {
            _ = fchmod(fd, 0o600)
            writer.size = 0
            writer.allocated = 0
            SpoolFiles.syncDirectory(directory)
        }
        writer.fd = fd
    }

    private func probe() -> Bool {
        let path = directory + "/.probe"
        let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return false }
        defer {
            Glibc.close(fd)
            unlink(path)
        }
        let block = [UInt8](repeating: 0, count: 65_536)
        let written = block.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        return written == block.count && fdatasync(fd) == 0
    }

    // MARK: - Recovery

    private func recover() throws(JournalError) -> [JournalRecord] {
        do {
            try SpoolFiles.makeDirectory(directory)
        } catch {
            throw JournalError("cannot create \(directory): \(error)")
        }
        guard access(directory, W_OK) == 0 else { throw JournalError.system("access", directory) }
        if let newest = Self.segmentNumbers(in: directory).last {
            Self.pruneTakenSegments(directory: directory, before: newest)
        }
        let segments = Self.segmentNumbers(in: directory)
        var records: [JournalRecord] = []
        for segment in segments {
            let path = segmentPath(segment)
            guard case .bytes(var data) = SpoolFiles.read(path) else { throw JournalError.system("read", path) }
            let scan = JournalFormat.scan(data)
            records += scan.records.map(\.record)
            var goodLength = scan.end
            if !scan.damaged.isEmpty {
                // The records, now one after the other, then whatever followed the last of them.
                data = try repair(path, data: data, scan: scan)
                goodLength = scan.records.reduce(0) { $0 + $1.end - $1.start }
            }
            if goodLength < data.count && data[goodLength...].allSatisfy({ $0 == 0 }) {
                // Space reserved ahead of the last record, never written: nothing is lost.
                guard truncate(path, off_t(goodLength)) == 0 else { throw JournalError.system("truncate", path) }
            } else if goodLength < data.count {
                // A crash mid-write leaves a torn tail: nothing in it was acknowledged. Keep a copy for inspection.
                try? SpoolFiles.replace(SpoolFiles.unusedName(path + ".damaged-\(goodLength)"), with: Array(data[goodLength...]))
                guard truncate(path, off_t(goodLength)) == 0 else { throw JournalError.system("truncate", path) }
            }
            if goodLength > 0 {
                try Self.sync(path)
                syncedAtOpen.add(1, ordering: .relaxed)
            }
        }
        if segmentsSyncedAtOpen > 0 { SpoolFiles.syncDirectory(directory) }
        writer.segment = segments.last ?? 1
        // The pipeline's cursor can be ahead of a tail lost in a power cut: never reuse a number it took.
        let cursor = try IncomingCursor(directory: directory).read()
        writer.nextSequence = max(records.map(\.sequence).max() ?? 0, cursor) + 1
        let last = records.map(\.sequence).max() ?? 0
        shared.withLock { $0.lastSequence = last }
        let opened: Result<Void, JournalError> = writerQueue.sync { Result { () throws(JournalError) in try openSegmentIfNeeded() } }
        try opened.get()
        return records
    }


    /// Damaged stretches found between records when the journal was opened (a flipped block on
    /// the disk, or blocks of a last write a power cut lost): each kept as `<segment>.damaged-<offset>`, the records around it
    /// kept. Whatever record such a stretch held is lost; the relay says so at start.
    public var damagedAtOpen: [String] { damaged.withLock { $0 } }
    private let damaged = Mutex<[String]>([])

    /// Rewrites the segment at `path` without the damaged stretches `scan` found between its
    /// records (each kept beside it as `.damaged-<offset>`), so that the reader, which stops at
    /// the first record it cannot read, reaches the records after them. Returns the new content.
    private func repair(_ path: String, data bytes: [UInt8], scan: JournalFormat.Scan) throws(JournalError) -> [UInt8] {
        var kept: [UInt8] = []
        kept.reserveCapacity(bytes.count)
        for record in scan.records { kept += bytes[record.start..<record.end] }
        // What follows the last record (reserved zeros, a torn tail) stays for the usual repair.
        kept += bytes[scan.end...]
        for stretch in scan.damaged {
            let copy = SpoolFiles.unusedName(path + ".damaged-\(stretch.lowerBound)")
            do {
                try SpoolFiles.replace(copy, with: Array(bytes[stretch]))
            } catch {
                throw JournalError("cannot keep the damaged part of \(path) in \(copy): \(error)")
            }
            damaged.withLock { $0.append(copy) }
        }
        do {
            try SpoolFiles.replace(path, with: kept)
        } catch {
            throw JournalError("cannot rewrite \(path) without its damaged part: \(error)")
        }
        return kept
    }


    private func segmentPath(_ segment: Int) -> String {
        Self.segmentPath(directory, segment)
    }

    /// `fdatasync` of the file at `path`.
    private static func sync(_ path: String) throws(JournalError) {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw JournalError.system("open", path) }
        defer { Glibc.close(fd) }
        guard fdatasync(fd) == 0 else { throw JournalError.system("fdatasync", path) }
    }

    static func segmentPath(_ directory: String, _ segment: Int) -> String {
        let number = String(segment)
        return "\(directory)/journal-\(String(repeating: "0", count: max(0, 6 - number.count)))\(number).log"
    }

    /// How long a segment whose records the pipeline has all taken is kept after its last write.
    static let takenSegmentRetention: TimeInterval = 30 * 86_400

    /// Deletes the segments before `current` whose records the pipeline has all taken (the next
    /// segment starts at or below the cursor + 1) and that were last written more than
    /// ``takenSegmentRetention`` ago. Returns the numbers deleted.
    @discardableResult
    static func pruneTakenSegments(directory: String, before current: Int, now: Date = Date()) -> [Int] {
        // Unreadable: nothing counts as taken, so nothing is deleted.
        let cursor = (try? IncomingCursor(directory: directory).read()) ?? 0
        let numbers = segmentNumbers(in: directory)
        var deleted: [Int] = []
        for (index, number) in numbers.enumerated() where number < current && index + 1 < numbers.count {
            guard let next = firstSequence(segmentPath(directory, numbers[index + 1])), next <= cursor + 1 else { break }
            let path = segmentPath(directory, number)
            guard let modified = (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date,
                  now.timeIntervalSince(modified) > takenSegmentRetention else { break }
            if unlink(path) == 0 { deleted.append(number) }
        }
        if !deleted.isEmpty { SpoolFiles.syncDirectory(directory) }
        return deleted
    }

    /// The sequence number of the first record in the segment at `path`, from its header line.
    static func firstSequence(_ path: String) -> UInt64? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        guard let data = try? handle.read(upToCount: 256) else { return nil }
        return JournalFormat.header(Array(data), at: 0)?.sequence
    }

    static func segmentNumbers(in directory: String) -> [Int] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.compactMap { name -> Int? in
            guard name.hasPrefix("journal-"), name.hasSuffix(".log") else { return nil }
            return Int(name.dropFirst("journal-".count).dropLast(".log".count))
        }.sorted()
    }

    /// Every whole record in the journal in `directory`, read without opening it for writing.
    public static func readRecords(directory: String) -> [JournalRecord] {
        segmentNumbers(in: directory).flatMap { segment -> [JournalRecord] in
            guard let data = FileManager.default.contents(atPath: segmentPath(directory, segment)) else { return [] }
            // As the relay reads it at start: past a damaged record, the records after it.
            return JournalFormat.scan(Array(data)).records.map(\.record)
        }
    }
}
