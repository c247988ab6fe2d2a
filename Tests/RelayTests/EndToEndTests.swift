import Testing
import Foundation
import Relay
import Preservica
import PreservicaSimulator

/// The whole path so far over loopback: the simulator subscribes the relay (handshake), sends a
/// chunked signed notification, and the relay's pipeline enriches the asset from the simulator.
@Suite("Relay and Preservica simulator end to end")
struct EndToEndTests {
    typealias Refs = SimulatorRepository.SampleRefs

    private func settings(_ simulator: PreservicaSimulator) -> PreservicaSettings {
        PreservicaSettings(credentials: PreservicaCredentials(server: simulator.baseURL, username: "admin", password: "pw", tenant: "DEMO"),
                           maxConcurrentRequests: 4, timeout: .seconds(5), retries: 2)
    }

    @Test("subscribe, handshake, chunked signed notification, enrichment")
    func wholePath() async throws {
        let simulator = PreservicaSimulator(configuration: SimulatorConfiguration(password: "pw"))
        try simulator.start()
        let relay = try RelayHarness(preservica: settings(simulator))
        try relay.start()

        let connection = try PreservicaConnection(credentials: settings(simulator).credentials)
        let subscription = try await SubscriptionClient(connection: connection)
            .create(url: relay.webhookURL, trigger: .ingested, secret: RelayHarness.secret)
        #expect(subscription.id.count == 32)
        #expect(relay.log.contains("answered subscription handshake"))

        let statuses = try await simulator.notify(trigger: "FULL_TEXT_INDEXED", refs: [Refs.letterAsset, Refs.tokyoMapAsset],
                                                  eventsPerPost: 1)
        #expect(statuses == [200, 200])
        let letter = try #require(await relay.enriched(Refs.letterAsset))
        #expect(letter.asset?.title == "Bjørnson: brev til Åse, 1884")
        #expect(letter.bitstreams.count == 2)
        let map = try #require(await relay.enriched(Refs.tokyoMapAsset))
        #expect(map.asset?.title == "東京の地図")
        #expect(map.path.map(\.title) == ["Collections", "Maps and plans"])
        #expect(relay.log.contains("msg=\"asset enriched\""))
        // Written by the pipeline as it takes each notification, before it enriches it.
        let accepted = relay.log.split(separator: "\n").filter { $0.contains("msg=\"notification accepted\"") }
        #expect(accepted.count == 2)
        #expect(accepted.contains { $0.contains("trigger=FULL_TEXT_INDEXED events=1 subscription=\(subscription.id) entity=\(Refs.letterAsset)") },
                "\(accepted)")
        #expect(!relay.log.contains("pw"))

        await relay.stop()
        await simulator.stop()
    }

    @Test("a subscription whose secret the relay does not have fails the handshake with a clear message")
    func wrongSecret() async throws {
        let simulator = PreservicaSimulator(configuration: SimulatorConfiguration(password: "pw"))
        try simulator.start()
        let relay = try RelayHarness(preservica: settings(simulator))
        try relay.start()
        let connection = try PreservicaConnection(credentials: settings(simulator).credentials)
        do {
            _ = try await SubscriptionClient(connection: connection).create(url: relay.webhookURL, trigger: .moved, secret: "another-secret")
            Issue.record("expected the handshake to fail")
        } catch {
            #expect("\(error)".contains("could not verify"))
            #expect(!"\(error)".contains("another-secret"))
        }
        #expect(simulator.subscriptions.isEmpty)
        await relay.stop()
        await simulator.stop()
    }

    @Test("a user without the manager role is told which role is needed")
    func missingRole() async throws {
        let simulator = PreservicaSimulator(configuration: SimulatorConfiguration(password: "pw", roles: ["ROLE_SDB_USER"]))
        try simulator.start()
        let connection = try PreservicaConnection(credentials: settings(simulator).credentials)
        do {
            _ = try await SubscriptionClient(connection: connection).list()
            Issue.record("expected a refusal")
        } catch {
            #expect("\(error)".contains("ROLE_SDB_MANAGER_USER"))
        }
        await simulator.stop()
    }
}
