import Testing
import Foundation
import Dispatch
import HTTPServer
import TestSupport
@testable import Relay

/// The journal's group commit made by the event loop itself where a sync is cheap, and by the
/// writer thread otherwise: either way every answer comes after its record is on disk.
@Suite("Journal commits on the event loop")
struct JournalOnLoopTests {
    /// Appends each request's body from the event loop, as the webhook receiver does, and answers
    /// 200 with the record's sequence once it is durable, or 500 when the answer came before the
    /// journal counted that record as written.
    private struct Appender: HTTPHandler {
        let journal: IncomingJournal
        /// Called with each body once its record is written, where the batch was written.
        var written: @Sendable (String) -> Void = { _ in }
        /// Called with each body once its record is queued.
        var queued: @Sendable (String) -> Void = { _ in }

        func handle(_ request: HTTPRequest) async -> HTTPResponse { .text(500, "the event loop form was not used") }

        func handle(_ request: HTTPRequest, respond: @escaping @Sendable (HTTPResponse) -> Void) {
            let body = String(decoding: request.body, as: UTF8.self)
            let metadata = ReceiptMetadata(receivedAt: "2026-12-01T00:00:00.000Z", peer: request.peerAddress, secretIndex: 0,
                                           trigger: "MOVED", events: 1, key: body)
            defer { queued(body) }
            journal.append(metadata: metadata, body: request.body, onDurable: { [written] _, _ in written(body) }) { [journal] result in
                switch result {
                case .success(let sequence) where journal.lastSequence >= sequence: respond(.text(200, String(sequence)))
                case .success: respond(.text(500, "answered before the record was counted as written"))
                case .failure(let error): respond(.text(503, "\(error)"))
                }
            }
        }
    }

    private let directory = FileManager.default.temporaryDirectory.appendingPathComponent("journal-loop-\(UUID().uuidString)").path

    /// Sends `perConnection` requests, one after another, on each of `connections` connections at
    /// once, to a two-loop server appending to a journal opened with `inlineSyncLimit`; returns
    /// the journal and the sequences answered.
    private func appendThroughServer(inlineSyncLimit: Int, connections: Int = 8, perConnection: Int = 25) async throws
        -> (IncomingJournal, [UInt64]) {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (journal, _) = try IncomingJournal.open(directory: directory, inlineSyncLimit: inlineSyncLimit)
        let server = HTTPServer(configuration: .init(host: "127.0.0.1", port: 0, limits: HTTPServerLimits(eventLoops: 2)),
                                handler: Appender(journal: journal))
        let port = try server.start()
        let answered: [UInt64]
        do {
            answered = try await withThrowingTaskGroup(of: [UInt64].self) { group in
                for connection in 0..<connections {
                    group.addTask {
                        let client = try RawHTTPClient(port: port)
                        var sequences: [UInt64] = []
                        for index in 0..<perConnection {
                            let body = "c\(connection)-\(index)"
                            try await client.send("POST / HTTP/1.1\r\nHost: relay\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
                            let response = try await client.readResponse()
                            #expect(response.status == 200, "\(response.bodyText)")
                            sequences.append(UInt64(response.bodyText) ?? 0)
                        }
                        return sequences
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
        } catch {
            await server.stop(gracePeriod: .seconds(1))
            throw error
        }
        await server.stop(gracePeriod: .seconds(1))
        let records = IncomingJournal.readRecords(directory: directory)
        #expect(records.map(\.sequence) == Array(1...UInt64(connections * perConnection)))
        #expect(Set(records.map(\.metadata.key)) == Set(records.map { String(decoding: $0.body, as: UTF8.self) }))
        return (journal, answered)
    }

    @Test("where a sync is cheap the loops commit batches themselves, and every answer comes after its record is written")
    func cheapSyncs() async throws {
        let (journal, answered) = try await appendThroughServer(inlineSyncLimit: .max)
        #expect(answered.sorted() == Array(1...200))
        #expect(journal.commitsOnLoop > 0)
    }

    @Test("what another loop queues while a loop commits goes on to the writer thread, and is answered too")
    func handedOn() async throws {
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (journal, _) = try IncomingJournal.open(directory: directory, inlineSyncLimit: .max)
        let firstWriting = Tally()
        let secondQueued = DispatchSemaphore(value: 0)
        let waitedForSecond = Tally()
        // The first record holds its loop inside the commit until the second, on the other loop, is queued.
        let handler = Appender(journal: journal, written: { body in
            guard body == "first" else { return }
            firstWriting.increment()
            if secondQueued.wait(timeout: .now() + 30) == .success { waitedForSecond.increment() }
        }, queued: { body in
            if body == "second" { secondQueued.signal() }
        })
        let server = HTTPServer(configuration: .init(host: "127.0.0.1", port: 0, limits: HTTPServerLimits(eventLoops: 2)), handler: handler)
        let port = try server.start()
        do {
            // Connections go to the loops in turn: these two are on different loops.
            let first = try RawHTTPClient(port: port, timeout: 10)
            let second = try RawHTTPClient(port: port, timeout: 10)
            try await first.send("POST / HTTP/1.1\r\nHost: relay\r\nContent-Length: 5\r\n\r\nfirst")
            #expect(await eventually(timeout: .seconds(60)) { firstWriting.value == 1 })
            try await second.send("POST / HTTP/1.1\r\nHost: relay\r\nContent-Length: 6\r\n\r\nsecond")
            #expect(try await first.readResponse().bodyText == "1")
            #expect(try await second.readResponse().bodyText == "2")
        } catch {
            await server.stop(gracePeriod: .seconds(1))
            throw error
        }
        await server.stop(gracePeriod: .seconds(1))
        #expect(waitedForSecond.value == 1)
        #expect(journal.commitsOnLoop == 1)
        #expect(journal.commitsHandedOn == 1)
        #expect(IncomingJournal.readRecords(directory: directory).map { String(decoding: $0.body, as: UTF8.self) } == ["first", "second"])
    }

    @Test("where a sync is slow the loops hand every batch to the writer thread")
    func slowSyncs() async throws {
        let (journal, answered) = try await appendThroughServer(inlineSyncLimit: 0)
        #expect(answered.sorted() == Array(1...200))
        #expect(journal.commitsOnLoop == 0)
        #expect(journal.syncCount > 0)
    }
}
