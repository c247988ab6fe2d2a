import Foundation
import Relay
import Preservica
import PreservicaSimulator

/// The whole path on loopback for a test: the Preservica simulator, a chat sink, and a relay
/// (in-process) with the given channels and routes, subscribed to the given triggers.
final class PipelineFixture: @unchecked Sendable {
    let simulator: PreservicaSimulator
    let sink: ChatSink
    let relay: RelayHarness

    init(simulator configuration: SimulatorConfiguration = SimulatorConfiguration(password: "pw"),
         sink sinkConfiguration: ChatSinkConfiguration = ChatSinkConfiguration(),
         channels: (ChatSink) -> [ChannelSettings], routes: [RouteSettings],
         triggers: [TriggerType] = [.ingested], hold: HoldPolicy = HoldPolicy(), identifiers: [IdentifierType] = [],
         beforeStart: (ChatSink) -> Void = { _ in }) async throws {
        simulator = PreservicaSimulator(configuration: configuration)
        try simulator.start()
        sink = ChatSink(configuration: sinkConfiguration)
        try sink.start()
        beforeStart(sink)
        relay = try RelayHarness(preservica: PreservicaSettings(
            credentials: PreservicaCredentials(server: simulator.baseURL, username: configuration.username,
                                               password: configuration.password, tenant: configuration.tenant),
            timeout: .seconds(5), retries: 1))
        relay.configuration.preservica?.hold = hold
        relay.configuration.channels = channels(sink)
        relay.configuration.routes = routes
        relay.configuration.display.identifiers = identifiers
        try relay.start()
        let subscriptions = SubscriptionClient(connection: try relay.configuration.preservica!.connection())
        for trigger in triggers {
            _ = try await subscriptions.create(url: relay.webhookURL, trigger: trigger, secret: RelayHarness.secret)
        }
    }

    /// The relay's outbox and dead letters.
    var outbox: Outbox { Outbox(dataDirectory: relay.configuration.dataDirectory) }

    /// The audit log so far.
    var audit: String { (try? String(contentsOfFile: relay.configuration.dataDirectory + "/audit.log", encoding: .utf8)) ?? "" }

    /// Notifies ingests of `refs`.
    @discardableResult
    func ingest(_ refs: [String], eventsPerPost: Int? = nil) async throws -> [Int] {
        try await simulator.notify(trigger: "FULL_TEXT_INDEXED", refs: refs, eventsPerPost: eventsPerPost)
    }

    /// Adds `count` new assets to the simulator (in the maps folder, titled "`title` N") and
    /// notifies an ingest of each, one per POST; returns the receiver's statuses.
    func ingestNewAssets(_ count: Int, title: String) async throws -> [Int] {
        let refs = (1...count).map { String(format: "e0000000-0000-4000-8000-%012d", $0) }
        for (index, ref) in refs.enumerated() {
            simulator.add(SimulatedAsset(ref: ref, title: "\(title) \(index + 1)", parent: SimulatorRepository.SampleRefs.maps))
        }
        return try await ingest(refs, eventsPerPost: 1)
    }

    func stop() async {
        await relay.stop()
        await sink.stop()
        await simulator.stop()
    }
}
