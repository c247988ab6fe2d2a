import Synchronization
import Foundation
import Preservica
import Testing
@testable import Relay

@Suite("The worker's feed: handed-over records first, the journal when they do not follow on")
struct IncomingFeedTests {
    private let directory = FileManager.default.temporaryDirectory.appendingPathComponent("feed-\(UUID().uuidString)").path

    private func notification(_ ref: String) -> WebhookNotification {
        WebhookNotification(subscriptionId: "s", timestamp: "1", tenant: "t", version: "1", trigger: "MOVED",
                            events: [WebhookEvent(event: "MOVED", entityType: "IO", entityRef: ref)])
    }

    /// Appends a record with body `body`; hands it to `spooled` once durable, unless `handOver` is false.
    @discardableResult
    private func append(_ journal: IncomingJournal, _ body: String, to spooled: SpooledNotifications,
                        handOver: Bool = true) async throws -> JournalExtent? {
        let metadata = ReceiptMetadata(receivedAt: "2026-01-01T00:00:00.000Z", peer: "p", secretIndex: 0, trigger: "MOVED", events: 1,
                                       key: body)
        let bytes = Array(body.utf8)
        let parsed = notification(body)
        let extent = Mutex<JournalExtent?>(nil)
        let result = await withCheckedContinuation { continuation in
            journal.append(metadata: metadata, body: bytes, onDurable: { sequence, place in
                extent.withLock { $0 = place }
                if handOver {
                    spooled.keep(.init(record: JournalRecord(sequence: sequence, metadata: metadata, body: bytes), notification: parsed,
                                       extent: place))
                }
            }) { continuation.resume(returning: $0) }
        }
        _ = try result.get()
        return extent.withLock { $0 }
    }

    private func bodies(_ taken: [(record: JournalRecord, parsed: WebhookNotification?)]) -> [String] {
        taken.map { String(decoding: $0.record.body, as: UTF8.self) }
    }

    @Test("each extent names exactly the bytes of its record in the segment")
    func extents() async throws {
        let (journal, _) = try IncomingJournal.open(directory: directory)
        let spooled = SpooledNotifications()
        var extents: [JournalExtent] = []
        for body in ["first", "second body", "third"] { extents.append(try #require(try await append(journal, body, to: spooled))) }
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: IncomingJournal.segmentPath(directory, 1))))
        let decoded = JournalFormat.decodeWithEnds(bytes)
        #expect(extents.map(\.segment) == [1, 1, 1])
        #expect(extents.map(\.end) == decoded.map { UInt64($0.end) })
        #expect(extents.map(\.start) == [0] + decoded.dropLast().map { UInt64($0.end) })
    }

    @Test("records handed over in order are taken as they are: the journal is not read")
    func handedOverNotRead() async throws {
        let (journal, _) = try IncomingJournal.open(directory: directory)
        let spooled = SpooledNotifications()
        for body in ["a", "b", "c"] { try await append(journal, body, to: spooled) }
        // Were the journal read, these zeroes would give no record at all.
        let path = IncomingJournal.segmentPath(directory, 1)
        let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
        try Data(count: size).write(to: URL(fileURLWithPath: path))
        let feed = IncomingFeed(directory: directory, spooled: spooled, after: 0)
        let taken = feed.next(durable: journal.lastSequence, limit: 32)
        #expect(bodies(taken) == ["a", "b", "c"])
        #expect(taken.map(\.record.sequence) == [1, 2, 3])
        #expect(taken.map { $0.parsed?.events[0].entityRef } == ["a", "b", "c"])
        #expect(feed.next(durable: journal.lastSequence, limit: 32).isEmpty)
    }

    @Test("a record the queue missed is read from the journal, and the order holds")
    func gapReadFromJournal() async throws {
        let (journal, _) = try IncomingJournal.open(directory: directory)
        let spooled = SpooledNotifications()
        try await append(journal, "one", to: spooled)
        try await append(journal, "two", to: spooled)
        try await append(journal, "three", to: spooled, handOver: false)
        try await append(journal, "four", to: spooled)
        let feed = IncomingFeed(directory: directory, spooled: spooled, after: 0)
        #expect(bodies(feed.next(durable: journal.lastSequence, limit: 32)) == ["one", "two"])
        let rest = feed.next(durable: journal.lastSequence, limit: 32)
        #expect(bodies(rest) == ["three", "four"])
        #expect(rest.map { $0.parsed?.events[0].entityRef } == [nil, "four"], "the one kept is still used")
        #expect(feed.next(durable: journal.lastSequence, limit: 32).isEmpty)
        try await append(journal, "five", to: spooled)
        #expect(bodies(feed.next(durable: journal.lastSequence, limit: 32)) == ["five"])
        #expect(spooled.handedOver == 4)
    }

    @Test("after a restart the journal is read from past the cursor")
    func restart() async throws {
        let (journal, _) = try IncomingJournal.open(directory: directory)
        for body in ["one", "two", "three"] { try await append(journal, body, to: SpooledNotifications()) }
        let feed = IncomingFeed(directory: directory, spooled: SpooledNotifications(), after: 1)
        let taken = feed.next(durable: journal.lastSequence, limit: 32)
        #expect(bodies(taken) == ["two", "three"])
        #expect(taken.allSatisfy { $0.parsed == nil })
        #expect(IncomingFeed(directory: directory, spooled: nil, after: 3).next(durable: 3, limit: 32).isEmpty)
    }

    @Test("after a restart the first new record is taken at once, however much of the journal the cursor has passed")
    func restartPastALongJournal() async throws {
        let (journal, _) = try IncomingJournal.open(directory: directory)
        let unused = SpooledNotifications()
        // About 5 MB taken already: more than one read of the journal (4 MiB).
        let large = String(repeating: "x", count: 100_000)
        for index in 0..<50 { try await append(journal, "\(index) \(large)", to: unused, handOver: false) }
        let spooled = SpooledNotifications()
        let feed = IncomingFeed(directory: directory, spooled: spooled, after: 50)
        #expect(feed.next(durable: journal.lastSequence, limit: 32).isEmpty)
        try await append(journal, "new", to: spooled)
        let taken = feed.next(durable: journal.lastSequence, limit: 32)
        #expect(bodies(taken) == ["new"], "taken by the first read, not after more wake-ups")
        #expect(taken.first?.parsed != nil)
    }

    @Test("a reader given the last sequence taken starts at the segment holding the next one")
    func readerStartsAtTheCursorsSegment() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for (number, sequences) in [(1, [UInt64(1), 2]), (2, [3, 4]), (3, [5])] {
            var bytes: [UInt8] = []
            for sequence in sequences {
                let metadata = ReceiptMetadata(receivedAt: "2026-01-01T00:00:00.000Z", peer: "p", secretIndex: 0, trigger: "MOVED", events: 1,
                                               key: "k\(sequence)")
                JournalFormat.Payload(metadata: metadata, body: Array("body".utf8)).encode(sequence: sequence, into: &bytes)
            }
            try Data(bytes).write(to: URL(fileURLWithPath: IncomingJournal.segmentPath(directory, number)))
        }
        #expect(JournalReader(directory: directory).position.segment == 1)
        #expect(JournalReader(directory: directory, after: 1).position.segment == 1)
        #expect(JournalReader(directory: directory, after: 3).position.segment == 2)
        #expect(JournalReader(directory: directory, after: 4).position.segment == 3)
        #expect(JournalReader(directory: directory, after: 9).position.segment == 3)
        #expect(JournalReader(directory: directory, after: 3).readNew().map(\.sequence) == [3, 4])
    }
}
