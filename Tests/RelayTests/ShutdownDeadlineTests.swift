import TestSupport
import Foundation
import Testing
import JSON
import Relay
import Preservica
import PreservicaSimulator

/// SIGTERM honours `shutdownTimeout` even while a large notification is being enriched, and the
/// notification is delivered whole, once, after the next start.
@Suite("Stopping at the deadline")
struct ShutdownDeadlineTests {
    @Test("SIGTERM during a 600-event enrichment stops at shutdownTimeout; after a restart every event is delivered once")
    func stopsAtTheDeadline() async throws {
        // Every Entity API call takes half a second: enriching 600 events would take about a minute.
        let simulator = PreservicaSimulator(configuration: SimulatorConfiguration(password: "pw", faults: SimulatorFaults(latency: .milliseconds(500))))
        try simulator.start()
        let sink = ChatSink()
        try sink.start()
        let relay = try RelayHarness()
        try """
        { listen: "127.0.0.1:0", dataDir: "data", webhook: { secrets: ["\(RelayHarness.secret)"] }, shutdownTimeout: "1s",
          preservica: { server: "\(simulator.baseURL)", username: "admin", password: "pw", tenant: "DEMO" },
          channels: { hook: { type: "webhook", url: "\(sink.webhookURL())", rateLimit: 1000 } },
          routes: [ { channels: ["hook"] } ] }
        """.write(toFile: relay.directory + "/relay.json5", atomically: true, encoding: .utf8)
        let first = try RelayProcess(["serve", "--config", "relay.json5"], directory: relay.directory)
        let port = try await first.listeningPort()
        _ = try await SubscriptionClient(connection: PreservicaConnection(credentials: PreservicaCredentials(
            server: simulator.baseURL, username: "admin", password: "pw", tenant: "DEMO")))
            .create(url: "http://127.0.0.1:\(port)/webhook", trigger: .ingested, secret: RelayHarness.secret)
        let refs = (0..<600).map { String(format: "00000000-0000-4000-8000-%012d", $0) }
        #expect(try await simulator.notify(trigger: "FULL_TEXT_INDEXED", refs: refs) == [200])
        // Wait until the relay is asking Preservica about the events, then stop it mid-enrichment.
        _ = await eventually { simulator.requestLog.contains { $0.hasPrefix("GET /api/entity/information-objects/00000000-0000-4000-8000-") } }
        first.send(SIGTERM)
        // Bounded by shutdownTimeout (1 s) plus start-up and exit, far below the minute of work left.
        #expect(try await first.exitCode(timeout: .seconds(15)) == 0)
        #expect(first.stderr.contains("stopped"))

        simulator.setFaults(.none)
        let second = try RelayProcess(["serve", "--config", "relay.json5"], directory: relay.directory)
        _ = try await second.listeningPort()
        let delivered = await sink.waitForMessages(count: refs.count, timeout: .seconds(60)) { $0.isDelivered }
        let seen = delivered.compactMap { $0.json?.objectValue?["asset"]?.objectValue?["ref"]?.stringValue }
        #expect(Set(seen) == Set(refs))
        #expect(seen.count == refs.count, "no event delivered twice")
        second.send(SIGTERM)
        #expect(try await second.exitCode() == 0)
        await sink.stop()
        await simulator.stop()
    }

    /// A reload stops the pipeline and waits for it; its lookups in flight stop waiting at once.
    @Test("SIGHUP during a 600-event enrichment reloads within seconds; a SIGTERM after it stops at shutdownTimeout")
    func reloadDuringEnrichment() async throws {
        let simulator = PreservicaSimulator(configuration: SimulatorConfiguration(password: "pw", faults: SimulatorFaults(latency: .milliseconds(500))))
        try simulator.start()
        let sink = ChatSink()
        try sink.start()
        let relay = try RelayHarness()
        try """
        { listen: "127.0.0.1:0", dataDir: "data", webhook: { secrets: ["\(RelayHarness.secret)"] }, shutdownTimeout: "1s",
          preservica: { server: "\(simulator.baseURL)", username: "admin", password: "pw", tenant: "DEMO" },
          channels: { hook: { type: "webhook", url: "\(sink.webhookURL())", rateLimit: 1000 } },
          routes: [ { channels: ["hook"] } ] }
        """.write(toFile: relay.directory + "/relay.json5", atomically: true, encoding: .utf8)
        let process = try RelayProcess(["serve", "--config", "relay.json5"], directory: relay.directory)
        let port = try await process.listeningPort()
        _ = try await SubscriptionClient(connection: PreservicaConnection(credentials: PreservicaCredentials(
            server: simulator.baseURL, username: "admin", password: "pw", tenant: "DEMO")))
            .create(url: "http://127.0.0.1:\(port)/webhook", trigger: .ingested, secret: RelayHarness.secret)
        let refs = (0..<600).map { String(format: "00000000-0000-4000-8000-%012d", $0) }
        #expect(try await simulator.notify(trigger: "FULL_TEXT_INDEXED", refs: refs) == [200])
        _ = await eventually { simulator.requestLog.contains { $0.hasPrefix("GET /api/entity/information-objects/00000000-0000-4000-8000-") } }
        process.send(SIGHUP)
        // About a minute of lookups is left; the reload must not wait for them.
        #expect(await eventually(timeout: .seconds(8)) { process.stderr.contains("configuration reloaded") }, "\(process.stderr)")
        process.send(SIGTERM)
        #expect(try await process.exitCode(timeout: .seconds(10)) == 0)
        await sink.stop()
        await simulator.stop()
    }
}
