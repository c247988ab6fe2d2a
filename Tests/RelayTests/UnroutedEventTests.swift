import TestSupport
import Testing
import Foundation
import Relay
import Preservica
import PreservicaSimulator

/// Nothing disappears silently: `simulate send` puts wire values on the wire, and an event no
/// route takes is logged and counted.
@Suite("Unrouted events")
struct UnroutedEventTests {
    typealias Refs = SimulatorRepository.SampleRefs

    private func send(_ trigger: String, to fixture: PipelineFixture) async throws -> RelayProcess {
        let process = try RelayProcess(["simulate", "send", "--url", fixture.relay.webhookURL, "--secret", RelayHarness.secret,
                                        "--ref", Refs.letterAsset, "--trigger", trigger], directory: fixture.relay.directory)
        #expect(try await process.exitCode() == 0, "\(process.stderr)")
        return process
    }

    private func waitForLog(_ text: String, count: Int = 1, in fixture: PipelineFixture) async throws {
        guard await eventually(timeout: .seconds(60), { fixture.relay.log.components(separatedBy: text).count - 1 >= count }) else {
            throw RelayProcess.Failure(description: "never logged \(text): \(fixture.relay.log)")
        }
    }

    @Test("simulate send maps an alias to its wire value, so a route on that trigger posts a card")
    func aliasIsMapped() async throws {
        let fixture = try await PipelineFixture(channels: { [ChannelSettings(name: "ops", type: .slack, url: Secret($0.slackURL()))] },
                                                routes: [RouteSettings(triggers: ["INGEST_FAILED"], channels: ["ops"])], triggers: [])
        _ = try await send("failed", to: fixture)
        let messages = await fixture.sink.waitForMessages(count: 1, timeout: .seconds(60))
        #expect(messages.count == 1)
        #expect(fixture.relay.journal.first?.metadata.trigger == "INGEST_FAILED")
        #expect(!fixture.relay.log.contains("matches no route"))
        await fixture.stop()
    }

    @Test("an event no route takes is a warning and a count by trigger; unknown triggers count as other")
    func unroutedIsCounted() async throws {
        let fixture = try await PipelineFixture(channels: { [ChannelSettings(name: "ops", type: .slack, url: Secret($0.slackURL()))] },
                                                routes: [RouteSettings(triggers: ["INGEST_FAILED"], channels: ["ops"])], triggers: [])
        _ = try await send("moved", to: fixture)
        try await waitForLog("event matches no route", in: fixture)
        let odd = try await send("DELETED_FOREVER", to: fixture)
        #expect(odd.stderr.contains("\"DELETED_FOREVER\" is not a trigger Preservica sends"))
        try await waitForLog("event matches no route", count: 2, in: fixture)
        #expect(fixture.relay.log.contains("trigger is not a value Preservica sends"))
        #expect(fixture.relay.log.contains("trigger=DELETED_FOREVER"))
        let metrics = try #require(fixture.relay.service?.metrics)
        #expect(metrics.counter("preservica_relay_events_unrouted_total", [("trigger", "MOVED")]) == 1)
        #expect(metrics.counter("preservica_relay_events_unrouted_total", [("trigger", "other")]) == 1)
        #expect(!metrics.exposition().contains("events_unrouted_total{trigger=\"DELETED_FOREVER\"}"))
        #expect(fixture.sink.received.isEmpty)
        await fixture.stop()
    }

    @Test("a relay with no channels at all still says that each event went nowhere")
    func noChannels() async throws {
        let relay = try RelayHarness()
        try relay.start()
        let client = try relay.client()
        try await client.send(RelayHarness.signedRequest(RelayHarness.notification(trigger: "INGEST_FAILED")))
        #expect(try await client.readResponse().status == 200)
        #expect(await eventually(timeout: .seconds(60)) { relay.log.contains("event matches no route") })
        #expect(relay.service?.metrics.counter("preservica_relay_events_unrouted_total", [("trigger", "INGEST_FAILED")]) == 1)
        await relay.stop()
    }
}
