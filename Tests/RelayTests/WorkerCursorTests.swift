import Foundation
import Synchronization
import Preservica
import Testing
import TestSupport
@testable import Relay

/// What a hook inside the worker saw, for the test to read.
private final class Marks: Sendable {
    let advanced = Atomic<Bool>(false)
    let retriedAt = Atomic<Int>(0)
}

/// When the worker writes `incoming/cursor`, on a clock that moves only when the test says so.
@Suite("The worker's cursor")
struct WorkerCursorTests {
    /// A journal with one notification per ref, and a worker over it with a route to one channel
    /// and a Preservica that refuses every connection.
    private final class Rig: Sendable {
        let directory: String
        let journal: IncomingJournal
        let clock = ManualRelayClock()
        let metrics = Metrics()
        let worker: IncomingWorker
        /// Set when the journal hands each record to the worker, as the relay's receiver does.
        let spooled: SpooledNotifications?

        init(handOver: Bool = false) throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("worker-cursor-\(UUID().uuidString)").path
            journal = try IncomingJournal.open(directory: directory + "/incoming").0
            var configuration = RelayConfiguration(dataDirectory: directory, webhookSecrets: [Secret("s")])
            configuration.channels = [ChannelSettings(name: "ops", type: .slack, url: Secret("https://hooks.slack.com/services/T/B/x"))]
            configuration.routes = [RouteSettings(triggers: ["FULL_TEXT_INDEXED"], channels: ["ops"])]
            // Port 1 on loopback refuses at once: Preservica is unavailable, so events are held.
            let preservica = PreservicaSettings(credentials: PreservicaCredentials(server: "http://127.0.0.1:1", username: "u", password: "p"),
                                                retries: 0)
            let planner = CardPlanner(configuration: configuration, logger: Logger.silent, clock: clock)
            let spooled = handOver ? SpooledNotifications() : nil
            self.spooled = spooled
            let journal = journal
            worker = IncomingWorker(directory: directory + "/incoming", entities: try preservica.entityClient(), planner: planner,
                                    logger: Logger.silent, metrics: metrics, hold: HoldPolicy(), clock: clock,
                                    entityTypes: ["IO"], spooled: spooled, durable: { handOver ? journal.lastSequence : .max },
                                    onPlanned: { _ in })
        }

        func spool(trigger: String, type: String = "IO") async throws {
            let body = Array(#"{"subscriptionId":"s","timestamp":"2026-11-30T10:00:00.000","tenant":"T","version":"7.7","trigger":"\#(trigger)","events":[{"event":"e","entityType":"\#(type)","entityRef":"\#(UUID().uuidString.lowercased())"}]}"#.utf8)
            let metadata = ReceiptMetadata(receivedAt: Timestamp.iso8601(), peer: "127.0.0.1", secretIndex: 0, trigger: trigger, events: 1,
                                           key: UUID().uuidString)
            let parsed = try WebhookNotification.parse(body)
            let result = await withCheckedContinuation { continuation in
                journal.append(metadata: metadata, body: body, onDurable: { [spooled] sequence, extent in
                    spooled?.keep(.init(record: JournalRecord(sequence: sequence, metadata: metadata, body: body), notification: parsed,
                                        extent: extent))
                }) { continuation.resume(returning: $0) }
            }
            _ = try result.get()
            worker.notify()
        }

        var cursor: String? {
            (try? String(contentsOfFile: directory + "/incoming/cursor", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
        }

        deinit { try? FileManager.default.removeItem(atPath: directory) }
    }

    /// Runs the worker of a new rig while `body` runs, then stops it and waits for it to end;
    /// returns the rig so a test can look at what the stop left.
    @discardableResult
    private func withWorker(handOver: Bool = false, before: (Rig) async throws -> Void = { _ in },
                            _ body: (Rig) async throws -> Void) async throws -> Rig {
        let rig = try Rig(handOver: handOver)
        try await before(rig)
        let running = Task { await rig.worker.run() }
        var failure: (any Error)?
        do { try await body(rig) } catch { failure = error }
        running.cancel()
        await running.value
        if let failure { throw failure }
        return rig
    }

    @Test("notifications that plan nothing wait for the clock (or the stop); a held one is written at once")
    func deferredUnlessHeld() async throws {
        try await withWorker { rig in
            // A folder event, and routes take only assets: skipped without a lookup, so it plans
            // nothing and the cursor waits.
            try await rig.spool(trigger: "MOVED", type: "SO")
            #expect(await eventually { rig.worker.lastTaken == 1 })
            #expect(rig.cursor == nil)
            // Asleep on the clock until the write is due.
            #expect(await eventually { rig.clock.nextWake == .seconds(1) })
            rig.clock.advance(by: .seconds(1))
            #expect(await eventually { rig.cursor == "1" })
            // Routed, but Preservica is unavailable: the event is held, and the cursor moves now, so
            // a crash after the held card goes out cannot plan it again from the journal.
            try await rig.spool(trigger: "FULL_TEXT_INDEXED")
            #expect(await eventually { rig.worker.heldEventCount == 1 })
            #expect(await eventually { rig.cursor == "2" })
        }
    }

    @Test("while Preservica is unavailable, an event no route could take is not held but goes on as unrouted")
    func unroutedNotHeld() async throws {
        try await withWorker { rig in
            // Routes take FULL_TEXT_INDEXED only; this asset event is looked up (and fails), then
            // goes on: nothing to hold, nothing planned, so the cursor may wait.
            try await rig.spool(trigger: "MOVED")
            #expect(await eventually { rig.worker.lastTaken == 1 })
            #expect(rig.worker.heldEventCount == 0)
            #expect(rig.worker.recent.last?.unavailable == true)
            #expect(rig.cursor == nil)
        }
    }

    @Test("a notification that planned nothing is in the cursor once the worker stops")
    func writtenAtStop() async throws {
        let rig = try await withWorker { rig in
            try await rig.spool(trigger: "MOVED", type: "SO")
            #expect(await eventually { rig.worker.lastTaken == 1 })
            #expect(rig.cursor == nil)
        }
        #expect(rig.cursor == "1")
    }

    /// A worker with one Slack channel routed `FULL_TEXT_INDEXED`, no Preservica, on a clock the
    /// test moves, in a directory removed afterwards. Nothing runs until the test starts it.
    private struct OpsWorker {
        let directory: String
        let journal: IncomingJournal
        let clock: ManualRelayClock
        let worker: IncomingWorker

        /// Journals one routed asset notification.
        func spool() async throws {
            let body = Array(#"{"subscriptionId":"s","timestamp":"2026-11-30T10:00:00.000","tenant":"T","version":"7.7","trigger":"FULL_TEXT_INDEXED","events":[{"event":"e","entityType":"IO","entityRef":"abc-1"}]}"#.utf8)
            _ = try await journal.append(metadata: ReceiptMetadata(receivedAt: Timestamp.iso8601(), peer: "p", secretIndex: 0,
                                                                   trigger: "FULL_TEXT_INDEXED", events: 1, key: "k"), body: body)
        }

        var pending: Int { Outbox(dataDirectory: directory).pending(channel: "ops").count }
    }

    private func withOpsWorker(_ body: (OpsWorker) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("worker-cursor-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var configuration = RelayConfiguration(dataDirectory: directory, webhookSecrets: [Secret("s")])
        configuration.channels = [ChannelSettings(name: "ops", type: .slack, url: Secret("https://hooks.slack.com/services/T/B/x"))]
        configuration.routes = [RouteSettings(triggers: ["FULL_TEXT_INDEXED"], channels: ["ops"])]
        let clock = ManualRelayClock()
        let planner = CardPlanner(configuration: configuration, logger: Logger.silent, clock: clock)
        let worker = IncomingWorker(directory: directory + "/incoming", entities: nil, planner: planner,
                                    logger: Logger.silent, metrics: Metrics(), hold: nil, clock: clock,
                                    entityTypes: ["IO"], durable: { .max }, onPlanned: { _ in })
        try await body(OpsWorker(directory: directory, journal: try IncomingJournal.open(directory: directory + "/incoming").0,
                                 clock: clock, worker: worker))
    }

    @Test("a cursor that cannot be written keeps the batch's jobs from the deliverer, and is tried again")
    func failedWriteKeepsJobsBack() async throws {
        try await withOpsWorker { rig in
            let running = Task { await rig.worker.run() }
            // Once the worker has read its cursor (none yet) and waits: a directory where the cursor
            // goes, so the rename onto it fails, as a full disk would fail it.
            #expect(await eventually { rig.clock.nextWake == .seconds(5) })
            try FileManager.default.createDirectory(atPath: rig.directory + "/incoming/cursor/x", withIntermediateDirectories: true)
            try await rig.spool()
            rig.worker.notify()
            // The job is written and the worker, done with the batch, waits a second to try again.
            #expect(await eventually { rig.pending == 1 && rig.clock.nextWake == .seconds(1) })
            #expect(rig.worker.lastTaken == 0, "the job was released although incoming/cursor could not be written")
            try FileManager.default.removeItem(atPath: rig.directory + "/incoming/cursor")
            rig.clock.advance(by: .seconds(1))
            #expect(await eventually { rig.worker.lastTaken == 1 })
            #expect((try? String(contentsOfFile: rig.directory + "/incoming/cursor", encoding: .utf8))?.hasPrefix("1") == true)
            running.cancel()
            await running.value
        }
    }

    /// Out of file descriptors at a reload, say: taking the cursor as 0 would post the journal again.
    @Test("a cursor that cannot be read plans nothing until it can, and then goes on from it")
    func unreadableCursorWaits() async throws {
        try await withOpsWorker { rig in
            try await rig.spool()
            try FileManager.default.createDirectory(atPath: rig.directory + "/incoming/cursor", withIntermediateDirectories: true)
            let running = Task { await rig.worker.run() }
            #expect(await eventually { rig.clock.nextWake == .seconds(5) })
            #expect(rig.pending == 0, "planned from a cursor it could not read")
            try FileManager.default.removeItem(atPath: rig.directory + "/incoming/cursor")
            try "0\n".write(toFile: rig.directory + "/incoming/cursor", atomically: true, encoding: .utf8)
            rig.clock.advance(by: .seconds(5))
            #expect(await eventually { rig.worker.lastTaken == 1 })
            #expect(rig.pending == 1)
            running.cancel()
            await running.value
        }
    }

    @Test("a backlog of handed-over notifications longer than a batch is all taken, with no wake-up left to spend")
    func longBacklogTaken() async throws {
        // Spooled before the worker starts: it finds one wake-up and a hundred records. Folder
        // events, which no route takes: each batch plans nothing and needs no lookup.
        try await withWorker(handOver: true, before: { rig in
            for _ in 0..<100 { try await rig.spool(trigger: "MOVED", type: "SO") }
        }) { rig in
            #expect(await eventually { rig.worker.lastTaken == 100 }, "the clock never moves, so no timer can fetch the rest")
            #expect(rig.spooled?.handedOver == 100)
        }
    }

    @Test("held events are asked about again when their time comes, also while a long backlog is worked through")
    func heldRetriedDuringABacklog() async throws {
        let backlog = 20_000
        let marks = Marks()
        try await withWorker(before: { rig in
            // One event Preservica cannot describe (held), then a long run of folder events,
            // which no route takes, all in the journal before the worker starts.
            try await rig.spool(trigger: "FULL_TEXT_INDEXED")
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<backlog {
                    group.addTask {
                        let body = Array(#"{"subscriptionId":"s","timestamp":"2026-11-30T10:00:00.000","tenant":"T","version":"7.7","trigger":"MOVED","events":[{"event":"e","entityType":"SO","entityRef":"f-\#(index)"}]}"#.utf8)
                        let metadata = ReceiptMetadata(receivedAt: "2026-11-30T10:00:00.000Z", peer: "p", secretIndex: 0, trigger: "MOVED",
                                                       events: 1, key: "k\(index)")
                        _ = try await rig.journal.append(metadata: metadata, body: body)
                    }
                }
                try await group.waitForAll()
            }
            // Acting inside the worker, each time it reads the clock (between batches among other
            // places), not from the test's thread, which a busy machine could leave waiting until
            // the backlog is done: once the held event's first lookup has failed and 100
            // notifications are through, its time comes; the first reading after it was asked
            // again notes how many were through then.
            let metrics = rig.metrics, clock = rig.clock
            rig.clock.onNow {
                let through = Int(metrics.counter("preservica_relay_events_total", [("trigger", "MOVED")]))
                if through >= 100 && metrics.counter("preservica_relay_enrichments_total", [("result", "unavailable")]) >= 1
                    && !marks.advanced.exchange(true, ordering: .relaxed) {
                    clock.advance(by: .seconds(2))
                }
                if metrics.counter("preservica_relay_enrichment_retries_total") >= 1 {
                    _ = marks.retriedAt.compareExchange(expected: 0, desired: through, ordering: .relaxed)
                }
            }
        }) { rig in
            // Twenty thousand notifications on two cores shared with the rest of the suite: a wait for
            // the condition, given room, not a measure of speed (bench/ measures that).
            #expect(await eventually(timeout: .seconds(90)) { rig.worker.lastTaken == UInt64(backlog + 1) })
            #expect(await eventually { rig.metrics.counter("preservica_relay_events_total", [("trigger", "MOVED")]) == Double(backlog) })
            #expect((rig.worker.heldNotifications.first?.attempts ?? 0) >= 2)
            let through = marks.retriedAt.load(ordering: .relaxed)
            #expect(through >= 100 && through < backlog, "asked again between the backlog's batches, not once it was done (\(through))")
        }
    }

    @Test("the relay's receiver hands its parsed notifications to the worker")
    func handedOver() async throws {
        let relay = try RelayHarness()
        try relay.start()
        let client = try relay.client()
        for trigger in ["INGEST_FAILED", "MOVED", "FULL_TEXT_INDEXED"] {
            try await client.send(RelayHarness.signedRequest(RelayHarness.notification(trigger: trigger)))
            #expect(try await client.readResponse().status == 200)
        }
        #expect(await eventually { relay.service?.worker.lastTaken == 3 })
        #expect(relay.service?.core.spooled.handedOver == 3, "each notification is handed over before the worker can read it")
        await relay.stop()
    }
}
