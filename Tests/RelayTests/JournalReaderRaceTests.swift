import Foundation
import Synchronization
import Testing
@testable import Relay

@Suite("Journal reader racing the writer")
struct JournalReaderRaceTests {
    private func metadata(_ key: String) -> ReceiptMetadata {
        ReceiptMetadata(receivedAt: "2026-01-01T00:00:00.000Z", peer: "127.0.0.1:1", secretIndex: 0, trigger: "MOVED", events: 1, key: key)
    }

    /// Polls `condition` (no fixed sleep decides the outcome) for up to `timeout`.
    private func eventually(_ timeout: Duration = .seconds(60), _ condition: () -> Bool) async -> Bool {
        let end = ContinuousClock.now + timeout
        while ContinuousClock.now < end {
            if condition() { return true }
            await Task.yield()
        }
        return condition()
    }

    /// A reader following the writer sees the reserved zeros where the next record will go; before it
    /// looks for a later segment, the writer puts record 3 there and the next batch starts segment 2.
    /// The stale `reachedReserve` lets the reader move on, and record 3 is never read.
    /// The writer's file operations are done by hand, exactly as
    /// `IncomingJournal.write` does them (pwrite of a batch at the end of the records, into the
    /// reserved zeros; then, for a batch that does not fit, ftruncate to the records, close, and
    /// open(O_CREAT) of the next segment), so that many rotations can be tried in a second.
    @Test("a reader following the writer never moves past a record written into the reserved zeros")
    func readerRaceWithWriterFileOperations() async throws {
        let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        func encoded(_ sequence: UInt64, _ body: String) -> [UInt8] {
            var bytes: [UInt8] = []
            JournalFormat.Payload(metadata: metadata("k\(sequence)"), body: Array(body.utf8)).encode(sequence: sequence, into: &bytes)
            return bytes
        }
        var skipped = 0
        var tries = 0
        while tries < 200 && skipped == 0 {
            tries += 1
            let directory = base + "/reader-race-\(UUID().uuidString)"
            defer { try? FileManager.default.removeItem(atPath: directory) }
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let records = encoded(1, "one") + encoded(2, "two")
            let path = IncomingJournal.segmentPath(directory, 1)
            // Records, then the writer's reserved zeros (4 MiB).
            try Data(records + [UInt8](repeating: 0, count: 4 << 20)).write(to: URL(fileURLWithPath: path))
            let seen = Mutex<[UInt64]>([])
            let stop = Atomic<Bool>(false)
            let finished = Atomic<Bool>(false)
            Thread.detachNewThread {
                let reader = JournalReader(directory: directory)
                while !stop.load(ordering: .relaxed) {
                    let sequences = reader.readNew().map(\.sequence)
                    if !sequences.isEmpty { seen.withLock { $0 += sequences } }
                }
                finished.store(true, ordering: .sequentiallyConsistent)
            }
            #expect(await eventually { seen.withLock { $0.contains(2) } })
            // Batch: record 3 into the reserved zeros (and synced: acknowledged).
            let fd = open(path, O_WRONLY)
            let three = encoded(3, "three")
            _ = three.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, off_t(records.count)) }
            _ = fdatasync(fd)
            // Next batch does not fit: cut the finished segment to its records, start segment 2.
            _ = ftruncate(fd, off_t(records.count + three.count))
            close(fd)
            let next = open(IncomingJournal.segmentPath(directory, 2), O_WRONLY | O_CREAT, 0o600)
            let four = encoded(4, "four")
            _ = four.withUnsafeBytes { pwrite(next, $0.baseAddress, $0.count, 0) }
            close(next)
            let sawFour = await eventually(.seconds(5)) { seen.withLock { $0.contains(4) } }
            stop.store(true, ordering: .relaxed)
            _ = await eventually { finished.load(ordering: .sequentiallyConsistent) }
            #expect(sawFour)
            if seen.withLock({ $0 }) != [1, 2, 3, 4] { skipped += 1 }
        }
        #expect(skipped == 0, "after \(tries) rotation(s) the reader moved to segment 2 past record 3, which it never returned")
    }
}
