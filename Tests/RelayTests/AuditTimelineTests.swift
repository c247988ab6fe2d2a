import TestSupport
import Testing
import Foundation
import Relay
import PreservicaSimulator

/// `audit --ref` tells one asset's story in time order, in words, including a replay.
@Suite("audit timeline")
struct AuditTimelineTests {
    typealias Refs = SimulatorRepository.SampleRefs

    @Test("received, routed, given up, replayed and delivered, in that order, with readable names")
    func timeline() async throws {
        let fixture = try await PipelineFixture(channels: { [ChannelSettings(name: "ops", type: .slack, url: Secret($0.slackURL()))] },
                                                routes: [RouteSettings(triggers: ["INGEST_FAILED"], channels: ["ops"])],
                                                triggers: [.ingestFailed], beforeStart: { $0.script(.slack, replies: [.slackInvalidPayload]) })
        let directory = fixture.relay.directory
        try """
        { dataDir: "\(fixture.relay.configuration.dataDirectory)", webhook: { secrets: ["s"] },
          channels: { ops: { type: "slack", url: "\(fixture.sink.slackURL())" } } }
        """.write(toFile: directory + "/relay.json5", atomically: true, encoding: .utf8)
        _ = try await fixture.simulator.notify(trigger: "INGEST_FAILED", refs: [Refs.letterAsset])
        // The job is moved to dead/ first and its audit line written just after.
        #expect(await eventually { fixture.audit.contains("\"step\":\"dead\"") })
        let replay = try RelayProcess(["replay", "--channel", "ops", "--config", "relay.json5"], directory: directory)
        #expect(try await replay.exitCode() == 0, "\(replay.stderr)")
        let messages = await fixture.sink.waitForMessages(count: 2, timeout: .seconds(60))
        #expect(messages.last?.isDelivered == true)
        // The deliverer writes its audit line just after the answer.
        #expect(await eventually { fixture.audit.contains("\"step\":\"delivered\"") })

        let audit = try RelayProcess(["audit", "--ref", Refs.letterAsset, "--config", "relay.json5"], directory: directory)
        #expect(try await audit.exitCode() == 0, "\(audit.stderr)")
        let lines = audit.stdout.split(separator: "\n").map(String.init)
        let steps = lines.map { $0.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.map(String.init) ?? "" }
        #expect(steps == ["received", "routed", "given", "replayed", "delivered"], "\(audit.stdout)")
        #expect(lines.first?.contains("INGEST_FAILED (failed)") == true)
        #expect(lines.contains { $0.contains("given up") && $0.contains("for ops:") && $0.contains("invalid_payload") })
        #expect(lines.contains { $0.contains("delivered") && $0.contains("to ops (127.0.0.1)") })
        let times = lines.map { String($0.prefix { $0 != " " }) }
        #expect(times == times.sorted())
        #expect(!audit.stdout.contains("{\"time\""))
        await fixture.stop()
    }

    @Test("the story reads the files logrotate leaves uncompressed, oldest first")
    func rotatedFiles() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("audit-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        func line(_ time: String, _ step: String) -> String {
            #"{"time":"\#(time)","step":"\#(step)","channel":"ops","host":"h","job":"1-0-ops","event":"1/0#r-1","entity":"r-1","attempt":1,"reason":"x","waitMs":1000}"# + "\n"
        }
        try line("2026-11-01T00:00:00.000Z", "retry").write(toFile: directory + "/audit.log.2", atomically: true, encoding: .utf8)
        try line("2026-11-02T00:00:00.000Z", "dead").write(toFile: directory + "/audit.log.1", atomically: true, encoding: .utf8)
        try line("2026-11-03T00:00:00.000Z", "delivered").write(toFile: directory + "/audit.log", atomically: true, encoding: .utf8)
        try Data([0x1f, 0x8b]).write(to: URL(fileURLWithPath: directory + "/audit.log.3.gz"))
        let story = AuditTimeline.entries(ref: "r-1", dataDirectory: directory)
        #expect(story.map(\.what) == ["retrying", "given up", "delivered"], "\(story)")
    }
}
