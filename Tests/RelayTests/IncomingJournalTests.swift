import Testing
import Foundation
import JSON
@testable import Relay

@Suite("Incoming journal")
struct IncomingJournalTests {
    private let directory = FileManager.default.temporaryDirectory.appendingPathComponent("journal-\(UUID().uuidString)").path

    private func metadata(_ key: String) -> ReceiptMetadata {
        ReceiptMetadata(receivedAt: "2026-01-01T00:00:00.000Z", peer: "127.0.0.1:1", secretIndex: 0, trigger: "MOVED", events: 1, key: key)
    }

    @Test("records written concurrently all come back, in sequence order, with their bytes")
    func concurrentAppends() async throws {
        let (journal, existing) = try IncomingJournal.open(directory: directory)
        #expect(existing.isEmpty)
        let sequences = try await withThrowingTaskGroup(of: UInt64.self) { group in
            for index in 0..<200 {
                group.addTask { try await journal.append(metadata: metadata("k\(index)"), body: Array("body \(index)\n\u{0}binary".utf8)) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(Set(sequences) == Set(1...200))
        let records = IncomingJournal.readRecords(directory: directory)
        #expect(records.map(\.sequence) == Array(1...200))
        for record in records {
            let index = record.metadata.key.dropFirst()
            #expect(record.body == Array("body \(index)\n\u{0}binary".utf8))
        }
    }

    @Test("opening a journal syncs every segment that holds records before any is taken as durable")
    func openingSyncs() async throws {
        do {
            let (journal, _) = try IncomingJournal.open(directory: directory)
            #expect(journal.segmentsSyncedAtOpen == 0)
            _ = try await journal.append(metadata: metadata("a"), body: Array("one".utf8))
        }
        // A second segment, as a relay killed between its write and its fdatasync could leave it.
        let second = IncomingJournal.segmentPath(directory, 2)
        let first = try Data(contentsOf: URL(fileURLWithPath: IncomingJournal.segmentPath(directory, 1)))
        try first.write(to: URL(fileURLWithPath: second))
        let (reopened, records) = try IncomingJournal.open(directory: directory)
        #expect(!records.isEmpty)
        #expect(reopened.segmentsSyncedAtOpen == 2)
    }

    @Test("receipt metadata is written byte for byte as the JSON writer writes it, and reads back")
    func metadataBytes() throws {
        let awkward = ["", "plain", "quote \" and \\ back", "line\nbreak\ttab\u{0}nul", "caf\u{E9} \u{1F4DA}", "c1 \u{9B}[31m", "js \u{2028}\u{2029}"]
        for (index, text) in awkward.enumerated() {
            let metadata = ReceiptMetadata(receivedAt: "2026-11-30T10:00:00.000Z", peer: text, secretIndex: index * 1000,
                                           trigger: text, events: 100_000 + index, key: text + "|" + text)
            #expect(metadata.jsonBytes == JSONWriter.bytes(metadata.json), "\(text.debugDescription)")
            #expect(ReceiptMetadata(json: try JSONParser.parse(metadata.jsonBytes)) == metadata)
        }
    }

    @Test("past 1 MiB a segment keeps zeros reserved after its last record; they are not records, not damage, and are cut on reopening")
    func reservedSpace() async throws {
        let body = [UInt8](repeating: UInt8(ascii: "x"), count: 100_000)
        do {
            let (journal, _) = try IncomingJournal.open(directory: directory)
            for index in 0..<12 { _ = try await journal.append(metadata: metadata("k\(index)"), body: body) }
        }
        let path = IncomingJournal.segmentPath(directory, 1)
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        let end = try #require(JournalFormat.decodeWithEnds(bytes).last?.end)
        #expect(end > IncomingJournal.reserveFrom)
        #expect(bytes.count > end, "reserved ahead")
        #expect(bytes.count <= IncomingJournal.reservedEnd(forRecordsEndingAt: end))
        #expect(bytes[end...].allSatisfy { $0 == 0 })
        #expect(IncomingJournal.readRecords(directory: directory).count == 12)
        let reader = JournalReader(directory: directory)
        #expect(reader.readNew().map(\.metadata.key) == (0..<12).map { "k\($0)" })
        #expect(reader.readNew(maxBytes: 64 << 10).isEmpty, "the zeros are neither records nor read through")

        let (journal, records) = try IncomingJournal.open(directory: directory)
        #expect(records.count == 12)
        #expect(!(try FileManager.default.contentsOfDirectory(atPath: directory)).contains { $0.contains("damaged") })
        #expect(try await journal.append(metadata: metadata("next"), body: Array("after".utf8)) == 13)
        let again = IncomingJournal.readRecords(directory: directory)
        #expect(again.map(\.sequence) == Array(1...13), "the next record follows the last one, not the zeros")
        #expect(reader.readNew().map(\.metadata.key) == ["next"])
    }

    @Test("the reader moves past a finished segment that still ends in reserved zeros (a crash before it was cut)")
    func readerPastReservedTail() throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        func segment(_ number: Int, _ sequences: [UInt64], zeros: Int) throws {
            var bytes: [UInt8] = []
            for sequence in sequences {
                JournalFormat.Payload(metadata: metadata("k\(sequence)"), body: Array("body".utf8)).encode(sequence: sequence, into: &bytes)
            }
            bytes += [UInt8](repeating: 0, count: zeros)
            try Data(bytes).write(to: URL(fileURLWithPath: IncomingJournal.segmentPath(directory, number)))
        }
        try segment(1, [1, 2], zeros: 200_000)
        try segment(2, [3], zeros: 0)
        let reader = JournalReader(directory: directory)
        var seen: [UInt64] = []
        for _ in 0..<3 { seen += reader.readNew(maxBytes: 4096).map(\.sequence) }
        #expect(seen == [1, 2, 3])
        let (_, records) = try IncomingJournal.open(directory: directory)
        #expect(records.map(\.sequence) == [1, 2, 3])
        #expect(!(try FileManager.default.contentsOfDirectory(atPath: directory)).contains { $0.contains("damaged") })
    }

    @Test("segments the pipeline has finished are deleted once a month old; unfinished or recent ones stay")
    func retention() async throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        func segment(_ number: Int, _ sequences: [UInt64], daysOld: Double) throws {
            var bytes: [UInt8] = []
            for sequence in sequences {
                JournalFormat.Payload(metadata: metadata("k\(sequence)"), body: Array("body".utf8)).encode(sequence: sequence, into: &bytes)
            }
            let path = IncomingJournal.segmentPath(directory, number)
            if !sequences.isEmpty { try Data(bytes).write(to: URL(fileURLWithPath: path)) }
            try FileManager.default.setAttributes([.modificationDate: Date().addingTimeInterval(-daysOld * 86_400)], ofItemAtPath: path)
        }
        func open(cursor: UInt64) throws -> [UInt64] {
            try IncomingCursor(directory: directory).write(cursor)
            return try IncomingJournal.open(directory: directory).1.map(\.sequence)
        }
        try segment(1, [1, 2], daysOld: 40)
        try segment(2, [3, 4], daysOld: 40)
        try segment(3, [5], daysOld: 0)

        // Record 4 is not taken yet: segment 2 stays, segment 1 goes.
        #expect(try open(cursor: 3) == [3, 4, 5])
        #expect(IncomingJournal.segmentNumbers(in: directory) == [2, 3])
        // Taken, but written recently: it stays.
        try segment(2, [], daysOld: 29)
        #expect(try open(cursor: 5) == [3, 4, 5])
        // Taken and a month old: it goes; the newest segment always stays, and numbering goes on.
        try segment(2, [], daysOld: 31)
        #expect(try open(cursor: 5) == [5])
        #expect(IncomingJournal.segmentNumbers(in: directory) == [3])
        let (journal, _) = try IncomingJournal.open(directory: directory)
        #expect(try await journal.append(metadata: metadata("next"), body: Array("x".utf8)) == 6)
    }

    @Test("a torn tail from a crash is cut off, kept aside, and numbering goes on")
    func tornTail() async throws {
        do {
            let (journal, _) = try IncomingJournal.open(directory: directory)
            _ = try await journal.append(metadata: metadata("a"), body: Array("first".utf8))
            _ = try await journal.append(metadata: metadata("b"), body: Array("second".utf8))
        }
        let path = directory + "/journal-000001.log"
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data("PRJ1 3 120 5000 abcdef\n{\"receivedAt\":".utf8))
        handle.closeFile()

        let (journal, records) = try IncomingJournal.open(directory: directory)
        #expect(records.map(\.metadata.key) == ["a", "b"])
        let files = try FileManager.default.contentsOfDirectory(atPath: directory)
        #expect(files.contains { $0.hasPrefix("journal-000001.log.damaged-") })
        #expect(try await journal.append(metadata: metadata("c"), body: Array("third".utf8)) == 3)
        #expect(IncomingJournal.readRecords(directory: directory).map(\.metadata.key) == ["a", "b", "c"])
    }

    @Test("a flipped byte inside a record is detected by the checksum")
    func corruption() async throws {
        do {
            let (journal, _) = try IncomingJournal.open(directory: directory)
            _ = try await journal.append(metadata: metadata("a"), body: Array("first".utf8))
            _ = try await journal.append(metadata: metadata("b"), body: Array("second".utf8))
        }
        let path = directory + "/journal-000001.log"
        var bytes = try #require(FileManager.default.contents(atPath: path))
        let index = try #require(bytes.lastIndex(of: UInt8(ascii: "s")))
        bytes[index] = UInt8(ascii: "S")
        try bytes.write(to: URL(fileURLWithPath: path))
        #expect(IncomingJournal.readRecords(directory: directory).map(\.metadata.key) == ["a"])
    }

    @Test("a stray header announcing lengths near Int.max is no record, and reading past it does not trap")
    func hugeLengths() async throws {
        do {
            let (journal, _) = try IncomingJournal.open(directory: directory)
            _ = try await journal.append(metadata: metadata("a"), body: Array("first".utf8))
        }
        let path = directory + "/journal-000001.log"
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data("PRJ1 2 9223372036854775807 9223372036854775807 00000000\nPRJ1 3 9223372036854775806 2 00000000\nxx".utf8))
        handle.closeFile()
        let (_, records) = try IncomingJournal.open(directory: directory)
        #expect(records.map(\.metadata.key) == ["a"])
    }

    /// A flipped block in the middle of a segment is no torn tail: the records after it were
    /// acknowledged, and must not be cut off with it.
    @Test("a damaged record between others is set aside; the acknowledged records after it are kept, and numbers are not reused")
    func damageInTheMiddle() async throws {
        do {
            let (journal, _) = try IncomingJournal.open(directory: directory)
            for key in ["a", "b", "c"] { _ = try await journal.append(metadata: metadata(key), body: Array("body of \(key)".utf8)) }
        }
        let path = directory + "/journal-000001.log"
        var bytes = try #require(FileManager.default.contents(atPath: path))
        let index = try #require(bytes.firstRange(of: Data("body of a".utf8))?.lowerBound)
        bytes[index] = UInt8(ascii: "B")
        try bytes.write(to: URL(fileURLWithPath: path))

        let (journal, records) = try IncomingJournal.open(directory: directory)
        #expect(records.map(\.metadata.key) == ["b", "c"])
        #expect(records.map(\.sequence) == [2, 3])
        let copy = try #require(journal.damagedAtOpen.first)
        #expect(journal.damagedAtOpen.count == 1 && copy.hasPrefix(path + ".damaged-0"))
        #expect(String(decoding: try #require(FileManager.default.contents(atPath: copy)), as: UTF8.self).contains("Body of a"))
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: copy)[.posixPermissions] as? Int)
        #expect(mode == 0o600)
        #expect(try await journal.append(metadata: metadata("d"), body: Array("fourth".utf8)) == 4)
        #expect(IncomingJournal.readRecords(directory: directory).map(\.metadata.key) == ["b", "c", "d"])
    }
}

@Suite("Deduplication index")
struct DeduplicationIndexTests {
    // `Task.immediate` runs the second claim on this thread up to its first suspension, which is the
    // wait for the first copy's outcome: it is waiting before `resolve` runs, with no sleep.
    @available(macOS 26.0, *)
    @Test("a duplicate of a copy still being written waits for the outcome")
    func waitsForPending() async {
        let index = DeduplicationIndex()
        #expect(await index.claim(.init("k")) == .new)
        let second = Task.immediate { await index.claim(.init("k")) }
        index.resolve(.init("k"), durable: true)
        #expect(await second.value == .duplicate)
        #expect(await index.claim(.init("k")) == .duplicate)
    }

    @available(macOS 26.0, *)
    @Test("after a failed write the key is free again")
    func failedWrite() async {
        let index = DeduplicationIndex()
        #expect(await index.claim(.init("k")) == .new)
        let waiting = Task.immediate { await index.claim(.init("k")) }
        index.resolve(.init("k"), durable: false)
        #expect(await waiting.value == .failedElsewhere)
        #expect(await index.claim(.init("k")) == .new)
    }

    @Test("the oldest keys are forgotten past the capacity")
    func capacity() async {
        let index = DeduplicationIndex(capacity: 2)
        for key in ["a", "b", "c"] { index.insertDurable(key) }
        #expect(await index.claim(.init("a")) == .new)
        #expect(await index.claim(.init("c")) == .duplicate)
    }

    @Test("a key written after a failed write is kept for its new place, not forgotten at its old one")
    func failedWriteKeepsItsPlace() async {
        let index = DeduplicationIndex(capacity: 3)
        #expect(await index.claim(.init("a")) == .new)
        index.resolve(.init("a"), durable: false)
        index.insertDurable("b")
        #expect(await index.claim(.init("a")) == .new)
        index.resolve(.init("a"), durable: true)
        // "a"'s first place is the oldest; reaching it must not forget the "a" written since.
        index.insertDurable("c")
        index.insertDurable("d")
        #expect(await index.claim(.init("a")) == .duplicate)
    }
}
