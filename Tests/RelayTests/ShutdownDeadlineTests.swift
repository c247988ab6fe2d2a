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
    /// What a test of a busy relay works with.
    private struct Busy {
        let simulator: PreservicaSimulator
        let sink: ChatSink
        let relay: RelayHarness
        let process: RelayProcess
        let refs: [String]
    }

    /// A `serve` process (shutdownTimeout 1 s, one webhook channel) enriching a 600-event
    /// notification against a Preservica whose every call takes half a second (about a minute of
    /// work), once its first lookup has reached Preservica; stops the doubles afterwards.
    private func whileEnriching(_ body: (Busy) async throws -> Void) async throws {
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
        do {
            try await body(Busy(simulator: simulator, sink: sink, relay: relay, process: process, refs: refs))
        } catch {
            await sink.stop()
            await simulator.stop()
            throw error
        }
        await sink.stop()
        await simulator.stop()
    }

    @Test("SIGTERM during a 600-event enrichment stops at shutdownTimeout; after a restart every event is delivered once")
    func stopsAtTheDeadline() async throws {
        try await whileEnriching { (busy: Busy) async throws in
            busy.process.send(SIGTERM)
            // Bounded by shutdownTimeout (1 s) plus start-up and exit, far below the minute of work left.
            #expect(try await busy.process.exitCode(timeout: .seconds(25)) == 0)
            #expect(busy.process.stderr.contains("stopped"))

            busy.simulator.setFaults(.none)
            let second = try RelayProcess(["serve", "--config", "relay.json5"], directory: busy.relay.directory)
            _ = try await second.listeningPort()
            let delivered = await busy.sink.waitForMessages(count: busy.refs.count, timeout: .seconds(60)) { $0.isDelivered }
            let seen = delivered.compactMap { $0.json?.objectValue?["asset"]?.objectValue?["ref"]?.stringValue }
            #expect(Set(seen) == Set(busy.refs))
            #expect(seen.count == busy.refs.count, "no event delivered twice")
            second.send(SIGTERM)
            #expect(try await second.exitCode() == 0)
        }
    }

    /// A reload stops the pipeline and waits for it; its lookups in flight stop waiting at once.
    @Test("SIGHUP during a 600-event enrichment reloads within seconds; a SIGTERM after it stops at shutdownTimeout")
    func reloadDuringEnrichment() async throws {
        try await whileEnriching { (busy: Busy) async throws in
            busy.process.send(SIGHUP)
            // About a minute of lookups is left; the reload must not wait for them (the limits leave room
            // for a loaded machine and stay well below that minute).
            #expect(await eventually(timeout: .seconds(20)) { busy.process.stderr.contains("configuration reloaded") }, "\(busy.process.stderr)")
            busy.process.send(SIGTERM)
            #expect(try await busy.process.exitCode(timeout: .seconds(20)) == 0)
        }
    }
}
