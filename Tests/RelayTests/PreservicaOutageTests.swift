import TestSupport
import Testing
import Foundation
import JSON
import Relay
import Preservica
import PreservicaSimulator

/// Preservica down is not "asset unknown": the relay holds the event, retries, survives a
/// restart while holding, and sends the enriched card when Preservica answers again, or a card
/// that says the details were unavailable when the hold runs out.
@Suite("Preservica outages hold events instead of sending them as unknown")
struct PreservicaOutageTests {
    typealias Refs = SimulatorRepository.SampleRefs

    private static let unavailable = "The details of this asset could not be read from Preservica"
    private static let unknown = "Preservica does not know this asset"

    /// A relay with one Slack channel "ops" that takes every event, holding by `hold`.
    private func opsFixture(triggers: [TriggerType] = [.ingested], hold: HoldPolicy = HoldPolicy()) async throws -> PipelineFixture {
        try await PipelineFixture(channels: { [ChannelSettings(name: "ops", type: .slack, url: Secret($0.slackURL()))] },
                                  routes: [RouteSettings(channels: ["ops"])], triggers: triggers, hold: hold)
    }

    private func get(_ relay: RelayHarness, _ path: String) async throws -> String {
        let client = try relay.client()
        try await client.send("GET \(path) HTTP/1.1\r\nHost: relay\r\n\r\n")
        return try await client.readResponse().bodyText
    }

    /// Runs `body` once the letter's ingest, sent while Preservica answers with `faults`, is held
    /// on an "ops" relay holding by `hold`; stops the relay however `body` ends.
    private func withHeldLetter(hold: HoldPolicy = HoldPolicy(), faults: SimulatorFaults,
                                _ body: (PipelineFixture) async throws -> Void) async throws {
        let setup = try await opsFixture(hold: hold)
        do {
            setup.simulator.setFaults(faults)
            #expect(try await setup.ingest([Refs.letterAsset]) == [200])
            #expect(await eventually { setup.relay.service?.worker.heldEventCount == 1 })
            try await body(setup)
        } catch {
            await setup.stop()
            throw error
        }
        await setup.stop()
    }

    /// Retries 0.1 s, then 0.2 and 0.4 s apart, for `holdFor`.
    private static func quickRetries(holdFor: Duration) -> HoldPolicy {
        HoldPolicy(holdFor: holdFor, firstRetry: .milliseconds(100), maxRetry: .milliseconds(400))
    }

    @Test("a Retry-After of two minutes holds the event and shows in /metrics as the wait left")
    func longRetryAfterShown() async throws {
        try await withHeldLetter(faults: SimulatorFaults(outageStatus: 429, retryAfter: 120)) { setup in
            let metrics = try await get(setup.relay, "/metrics")
            let line = metrics.split(separator: "\n").first { $0.hasPrefix("preservica_relay_preservica_retry_after_seconds ") }
            let left = line.flatMap { Double($0.split(separator: " ").last ?? "") } ?? 0
            #expect(left > 60 && left <= 120, "\(line ?? "no line")")
            let page = try await get(setup.relay, "/")
            #expect(page.contains("Preservica asked the relay to wait"))
            #expect(setup.sink.received.isEmpty)
        }
    }

    @Test("while Preservica's Retry-After lasts, a held event is not asked about again, however soon its backoff would")
    func heldUntilTheWaitEnds() async throws {
        try await withHeldLetter(hold: Self.quickRetries(holdFor: .seconds(600)),
                                 faults: SimulatorFaults(outageStatus: 429, retryAfter: 120)) { setup in
            let next = setup.relay.service?.worker.heldNotifications.first?.nextAttempt ?? .distantPast
            #expect(next.timeIntervalSinceNow > 60, "next attempt in \(next.timeIntervalSinceNow) s, while the wait is two minutes")
            // Its backoff would have asked several times by now.
            #expect(!(await eventually(timeout: .seconds(1.5)) {
                setup.relay.service?.metrics.counter("preservica_relay_enrichment_retries_total") ?? 0 > 0
            }))
            #expect(setup.relay.service?.worker.heldNotifications.first?.attempts == 1)
        }
    }

    @Test("a held event whose retry meets a Retry-After is not asked again before it ends")
    func retryMeetsTheWait() async throws {
        try await withHeldLetter(hold: Self.quickRetries(holdFor: .seconds(600)), faults: SimulatorFaults(outageStatus: 500)) { setup in
            setup.simulator.setFaults(SimulatorFaults(outageStatus: 429, retryAfter: 120))
            let retries = { setup.relay.service?.metrics.counter("preservica_relay_enrichment_retries_total") ?? 0 }
            #expect(await eventually(timeout: .seconds(60)) {
                retries() >= 1 && (setup.relay.service?.worker.heldNotifications.first?.nextAttempt.timeIntervalSinceNow ?? 0) > 60
            })
            let after = retries()
            #expect(!(await eventually(timeout: .seconds(1.5)) { retries() > after }))
        }
    }

    @Test("a Retry-After longer than the hold does not keep the card past holdFor: it goes out saying the details could not be read")
    func holdEndsDuringTheWait() async throws {
        try await withHeldLetter(hold: Self.quickRetries(holdFor: .seconds(2)),
                                 faults: SimulatorFaults(outageStatus: 429, retryAfter: 120)) { setup in
            let held = try #require(setup.relay.service?.worker.heldNotifications.first)
            #expect(held.nextAttempt <= held.heldSince.addingTimeInterval(2.001))
            let card = await setup.sink.waitForMessages(count: 1, timeout: .seconds(60)).first
            #expect(card?.bodyText.contains(Self.unavailable) == true, "\(card?.bodyText ?? "no card")")
        }
    }

    @Test("an outage holds the event across a restart; after recovery the card arrives enriched")
    func outageAndRecovery() async throws {
        let setup = try await opsFixture(
            hold: HoldPolicy(holdFor: .seconds(120), firstRetry: .milliseconds(100), maxRetry: .milliseconds(400)))
        setup.simulator.setFaults(SimulatorFaults(outageStatus: 503))
        #expect(try await setup.ingest([Refs.letterAsset]) == [200])

        #expect(await eventually { setup.relay.service?.worker.heldEventCount == 1 })
        let metrics = try await get(setup.relay, "/metrics")
        #expect(metrics.contains("preservica_relay_held_events 1"))
        #expect(metrics.contains("preservica_relay_enrichments_total{result=\"unavailable\"} 1"))
        let page = try await get(setup.relay, "/")
        #expect(page.contains("Held for Preservica") && page.contains(Refs.letterAsset))
        // Retried with backoff while it lasts, and nothing is sent as unknown meanwhile.
        #expect(await eventually { setup.relay.service?.metrics.counter("preservica_relay_enrichment_retries_total") ?? 0 >= 2 })
        #expect(setup.sink.received.isEmpty)

        // A restart while holding: the hold is on disk and the cursor has moved past the notification.
        await setup.relay.stop()
        let held = try FileManager.default.contentsOfDirectory(atPath: setup.relay.configuration.dataDirectory + "/held")
        #expect(held == ["000000000001.json"])
        let cursor = try String(contentsOfFile: setup.relay.configuration.dataDirectory + "/incoming/cursor", encoding: .utf8)
        #expect(cursor.trimmingCharacters(in: .whitespacesAndNewlines) == "1")
        try setup.relay.start()
        #expect(await eventually { setup.relay.service?.worker.heldEventCount == 1 })

        setup.simulator.setFaults(SimulatorFaults())
        let messages = await setup.sink.waitForMessages(count: 1, timeout: .seconds(60))
        let card = try #require(messages.first).bodyText
        #expect(card.contains("Bjørnson: brev til Åse, 1884"))
        #expect(card.contains("brev-1884.jp2"))
        #expect(!card.contains(Self.unavailable) && !card.contains(Self.unknown))
        #expect(await eventually { setup.relay.service?.worker.heldEventCount == 0 })
        #expect(try FileManager.default.contentsOfDirectory(atPath: setup.relay.configuration.dataDirectory + "/held").isEmpty)
        #expect(try await get(setup.relay, "/metrics").contains("preservica_relay_held_events 0"))
        // Exactly one card, including after the restart.
        #expect(await eventually { setup.outbox.pendingCount(channel: "ops") == 0 })
        #expect(setup.sink.received.count == 1)
        #expect(!setup.relay.log.contains("pw"))
        await setup.stop()
    }

    /// A retry plans the events Preservica now describes, then rewrites the hold without them. If
    /// that rewrite fails (or the relay dies first), the hold on disk still lists them and plans
    /// them again at the next start: their cards must not have gone out meanwhile.
    @Test("a held event planned while its hold cannot be rewritten waits; after a restart its card goes out once")
    func heldEventWaitsForItsHoldFile() async throws {
        let setup = try await opsFixture(
            hold: HoldPolicy(holdFor: .seconds(120), firstRetry: .milliseconds(100), maxRetry: .milliseconds(300)))
        setup.simulator.setFaults(SimulatorFaults(outageStatus: 503))
        #expect(try await setup.ingest([Refs.letterAsset, Refs.albumAsset]) == [200])
        #expect(await eventually { setup.relay.service?.worker.heldEventCount == 2 })
        // The hold's rewrite goes through `<name>.tmp`: a directory there makes it fail.
        let blocker = setup.relay.configuration.dataDirectory + "/held/000000000001.json.tmp"
        try FileManager.default.createDirectory(atPath: blocker, withIntermediateDirectories: true)
        let album = setup.simulator.repository.assets.first { $0.ref == Refs.albumAsset }!
        let albumContentObject = album.representations[0].contentObjects[0].ref
        setup.simulator.breakContentObject(albumContentObject, status: 503)
        setup.simulator.setFaults(SimulatorFaults())
        #expect(await eventually { setup.relay.log.contains("cannot record held events") })
        #expect(await eventually { setup.outbox.pendingCount(channel: "ops") == 1 }, "the letter's card is planned")
        #expect(setup.relay.service?.worker.withholds(sequence: 1, event: 0) == true, "and waits while the hold lists it")
        await setup.relay.stop()

        try FileManager.default.removeItem(atPath: blocker)
        setup.simulator.breakContentObject(albumContentObject, status: nil)
        try setup.relay.start()
        #expect(await eventually { setup.relay.service?.worker.heldEventCount == 0 && setup.outbox.pendingCount(channel: "ops") == 0 })
        let cards = await setup.sink.waitForMessages(count: 2, timeout: .seconds(60))
        #expect(cards.filter { $0.bodyText.contains("Bjørnson: brev til Åse") }.count == 1, "the letter's card once")
        #expect(setup.sink.received.count == 2)
        await setup.stop()
    }

    @Test("a hold that cannot be read at start (damaged on disk) is moved to corrupt/ with an error line, not passed over in silence")
    func damagedHold() async throws {
        let setup = try await opsFixture(hold: HoldPolicy(holdFor: .seconds(3_600), firstRetry: .seconds(600), maxRetry: .seconds(600)))
        setup.simulator.setFaults(SimulatorFaults(outageStatus: 503))
        #expect(try await setup.ingest([Refs.letterAsset]) == [200])
        #expect(await eventually { setup.relay.service?.worker.heldEventCount == 1 })
        await setup.relay.stop()
        let data = setup.relay.configuration.dataDirectory
        let hold = data + "/held/000000000001.json"
        let whole = try #require(FileManager.default.contents(atPath: hold))
        try whole.prefix(40).write(to: URL(fileURLWithPath: hold))
        try setup.relay.start()
        #expect(await eventually { setup.relay.log.contains("a held notification cannot be read") })
        #expect(setup.relay.log.contains("corrupt/held_000000000001.json"))
        #expect(FileManager.default.contents(atPath: data + "/corrupt/held_000000000001.json") == whole.prefix(40))
        #expect(!FileManager.default.fileExists(atPath: hold))
        #expect(AuditLog(dataDirectory: data).lines().contains { $0.contains(#""step":"corrupt""#) && $0.contains("held_000000000001.json") })
        await setup.stop()
    }

    /// Preservica times out on the ingest's lookup and answers the move's: the move must not go
    /// out first, as if the asset had moved before it was ingested.
    @Test("held events are sent on, with what the events say, after a restart without Preservica credentials")
    func heldWithoutCredentials() async throws {
        let setup = try await opsFixture(hold: HoldPolicy(holdFor: .seconds(3_600), firstRetry: .seconds(600), maxRetry: .seconds(600)))
        setup.simulator.setFaults(SimulatorFaults(outageStatus: 503))
        #expect(try await setup.ingest([Refs.letterAsset]) == [200])
        #expect(await eventually { setup.relay.service?.worker.heldEventCount == 1 })
        await setup.relay.stop()
        // The credentials taken away (the service account removed, say).
        setup.relay.configuration.preservica = nil
        try setup.relay.start()
        let messages = await setup.sink.waitForMessages(count: 1, timeout: .seconds(60))
        #expect(messages.count == 1 && messages.first?.bodyText.contains(Refs.letterAsset) == true)
        #expect(await eventually { setup.relay.service?.worker.heldEventCount == 0 })
        #expect(try FileManager.default.contentsOfDirectory(atPath: setup.relay.configuration.dataDirectory + "/held").isEmpty)
        await setup.stop()
    }

    @Test("when only the folders above could not be read, the card shows what was read and does not say 'only its reference', nor 'top level'")
    func partlyReadCards() async throws {
        let setup = try await PipelineFixture(
            channels: { [ChannelSettings(name: "ops", type: .slack, url: Secret($0.slackURL()))] },
            routes: [RouteSettings(entityTypes: ["IO", "SO"], channels: ["ops"])], triggers: [.ingested, .moved],
            hold: HoldPolicy(holdFor: .seconds(1), firstRetry: .milliseconds(200), maxRetry: .milliseconds(200)))
        // The folder above the letter's folder fails to answer for itself; everything else answers.
        setup.simulator.breakFolder(Refs.letters, status: 503)
        #expect(try await setup.ingest([Refs.letterAsset]) == [200])
        #expect(try await setup.simulator.notify(trigger: "MOVED", refs: [Refs.bjornsonPapers], entityType: "SO") == [200])
        let cards = await setup.sink.waitForMessages(count: 2, timeout: .seconds(60))
        #expect(cards.count == 2)
        let asset = cards.first { $0.bodyText.contains("Bjørnson: brev til Åse") }
        #expect(asset.map { !$0.bodyText.contains("only its reference is shown") } == true, "\(asset?.bodyText ?? "no asset card")")
        #expect(asset?.shownTexts.joined(separator: "\n").contains("not known (Preservica did not say)") == true, "the card says its folder is not known")
        let folder = cards.first { $0.bodyText.contains("Bjørnson family papers") }
        let shown = folder?.shownTexts.joined(separator: "\n") ?? "no folder card"
        #expect(!shown.contains("the top level") && shown.contains("not known"), "\(shown)")

        // A folder that cannot be read at all, for a reason no retry mends (a 400): only its
        // reference is known, and the card says so rather than place it at the top level.
        setup.simulator.breakFolder(Refs.letters, status: nil)
        setup.simulator.breakFolder(Refs.maps, status: 400)
        #expect(try await setup.simulator.notify(trigger: "MOVED", refs: [Refs.maps], entityType: "SO") == [200])
        let unread = await setup.sink.waitForMessages(count: 3, timeout: .seconds(60))
        let last = unread.count == 3 ? unread[2].shownTexts.joined(separator: "\n") : "no third card"
        #expect(last.contains("only its reference is shown") && !last.contains("the top level"), "\(last)")
        await setup.stop()
    }

    @Test("a later event about a held asset waits behind the hold, so its cards keep their order")
    func laterEventWaitsBehindTheHold() async throws {
        let setup = try await opsFixture(
            triggers: [.ingested, .moved], hold: HoldPolicy(holdFor: .seconds(120), firstRetry: .seconds(2), maxRetry: .seconds(2)))
        let letter = setup.simulator.repository.assets.first { $0.ref == Refs.letterAsset }!
        let contentObject = letter.representations[0].contentObjects[0].ref
        setup.simulator.breakContentObject(contentObject, status: 503)
        #expect(try await setup.ingest([Refs.letterAsset]) == [200])
        #expect(await eventually { setup.relay.service?.worker.heldEventCount == 1 })
        setup.simulator.breakContentObject(contentObject, status: nil)
        #expect(try await setup.simulator.notify(trigger: "MOVED", refs: [Refs.letterAsset]) == [200])
        let cards = await setup.sink.waitForMessages(count: 2, timeout: .seconds(60))
        #expect(cards.count == 2)
        #expect(cards.first?.bodyText.contains("Moved") == false, "the move went out before the ingest: \(cards.map { $0.bodyText.prefix(80) })")
        await setup.stop()
    }

    @Test("when the hold runs out, the card says the details were unavailable, not that the asset is unknown")
    func holdExpires() async throws {
        let setup = try await opsFixture(
            // Long enough that a loaded machine still sees the hold before it runs out.
            hold: HoldPolicy(holdFor: .seconds(5), firstRetry: .milliseconds(100), maxRetry: .milliseconds(300)))
        // Connection refused: the simulator stops listening but can still send the notification.
        await setup.simulator.stop()
        #expect(try await setup.ingest([Refs.minutesAsset]) == [200])
        #expect(await eventually { setup.relay.service?.worker.heldEventCount == 1 })
        #expect(setup.sink.received.isEmpty)

        let messages = await setup.sink.waitForMessages(count: 1, timeout: .seconds(60))
        let card = try #require(messages.first).bodyText
        #expect(card.contains(Self.unavailable))
        #expect(!card.contains(Self.unknown))
        #expect(card.contains(Refs.minutesAsset))
        #expect(setup.relay.service?.metrics.counter("preservica_relay_holds_expired_total") == 1)
        #expect(setup.relay.service?.worker.heldEventCount == 0)
        #expect(setup.relay.log.contains("hold expired"))
        await setup.stop()
    }

    @Test("a 404 is not held: the card says at once that Preservica does not know the asset")
    func notFoundIsNotHeld() async throws {
        let setup = try await opsFixture()
        #expect(try await setup.ingest([Refs.unknown]) == [200])
        let messages = await setup.sink.waitForMessages(count: 1, timeout: .seconds(60))
        let card = try #require(messages.first).bodyText
        #expect(card.contains(Self.unknown))
        #expect(!card.contains(Self.unavailable))
        #expect(setup.relay.service?.worker.heldEventCount == 0)
        await setup.stop()
    }
}
