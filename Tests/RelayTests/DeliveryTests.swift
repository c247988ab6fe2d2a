import Testing
import Foundation
import JSON
import Relay
import Preservica
import PreservicaSimulator

/// Notification in, card out: the simulator notifies the relay, the relay enriches, routes,
/// renders and posts to the chat sinks, which answer like the real services.
@Suite("Delivery to chat services")
struct DeliveryTests {
    typealias Refs = SimulatorRepository.SampleRefs

    private struct Setup {
        let simulator: PreservicaSimulator
        let sink: ChatSink
        let relay: RelayHarness

        func stop() async {
            await relay.stop()
            await sink.stop()
            await simulator.stop()
        }
    }

    private func setup(channels: (ChatSink) -> [ChannelSettings], routes: [RouteSettings]) async throws -> Setup {
        let simulator = PreservicaSimulator(configuration: SimulatorConfiguration(password: "pw"))
        try simulator.start()
        let sink = ChatSink()
        try sink.start()
        let relay = try RelayHarness(preservica: PreservicaSettings(
            credentials: PreservicaCredentials(server: simulator.baseURL, username: "admin", password: "pw", tenant: "DEMO"),
            timeout: .seconds(5), retries: 1))
        relay.configuration.channels = channels(sink)
        relay.configuration.routes = routes
        try relay.start()
        _ = try await SubscriptionClient(connection: PreservicaConnection(credentials: relay.configuration.preservica!.credentials))
            .create(url: relay.webhookURL, trigger: .ingested, secret: RelayHarness.secret)
        return Setup(simulator: simulator, sink: sink, relay: relay)
    }

    @Test("an ingest reaches Teams as an Adaptive Card in the Workflows envelope")
    func teams() async throws {
        let setup = try await setup(channels: { [ChannelSettings(name: "curators", type: "teams", url: Secret($0.teamsWorkflowURL()))] },
                                    routes: [RouteSettings(channels: ["curators"])])
        #expect(try await setup.simulator.notify(trigger: "FULL_TEXT_INDEXED", refs: [Refs.letterAsset]) == [200])
        let messages = await setup.sink.waitForMessages(count: 1, timeout: .seconds(15))
        let message = try #require(messages.first)
        #expect(message.target == .teams)
        #expect(message.status == 202)
        #expect(message.isDelivered)
        let envelope = try #require(message.json?.objectValue)
        #expect(envelope["type"] == .string("message"))
        let card = try #require(envelope["attachments"]?.arrayValue?.first?.objectValue?["content"]?.objectValue)
        #expect(card["version"] == .string("1.4"))
        #expect(JSONWriter.string(.object(card)).contains("Bjørnson: brev til Åse, 1884"))
        #expect(JSONWriter.string(.object(card)).contains("brev-1884.jp2"))
        try await Task.sleep(for: .milliseconds(200))
        #expect(Outbox(dataDirectory: setup.relay.configuration.dataDirectory).pending(channel: "curators").isEmpty)
        let audit = try String(contentsOfFile: setup.relay.configuration.dataDirectory + "/audit.log", encoding: .utf8)
        #expect(audit.contains("\"step\":\"routed\"") && audit.contains("\"step\":\"delivered\""))
        #expect(!audit.contains("sig="))
        await setup.stop()
    }

    @Test("Slack throttling is retried after Retry-After and the card still arrives once")
    func throttled() async throws {
        let setup = try await setup(channels: { [ChannelSettings(name: "ops", type: "slack", url: Secret($0.slackURL()))] },
                                    routes: [RouteSettings(channels: ["ops"])])
        setup.sink.script(.slack, replies: [.slackThrottled(retryAfter: 1)])
        _ = try await setup.simulator.notify(trigger: "FULL_TEXT_INDEXED", refs: [Refs.tokyoMapAsset])
        let messages = await setup.sink.waitForMessages(count: 2, timeout: .seconds(20))
        #expect(messages.map(\.status) == [429, 200])
        #expect(messages.count == 2)
        if messages.count == 2 {
            let waited = messages[1].receivedAt.timeIntervalSince(messages[0].receivedAt)
            #expect(waited >= 0.9, "retried after \(waited) s, before Retry-After")
        }
        #expect(setup.relay.log.contains("card will be retried"))
        await setup.stop()
    }

    @Test("a permanent refusal goes to dead/ at once with the reply, and the URL's key is not logged")
    func deadLetter() async throws {
        let setup = try await setup(channels: { [ChannelSettings(name: "ops", type: "slack", url: Secret($0.slackURL(channel: "gone")))] },
                                    routes: [RouteSettings(channels: ["ops"])])
        setup.sink.script(.slack, replies: [.slackChannelArchived], repeatingLast: true)
        _ = try await setup.simulator.notify(trigger: "FULL_TEXT_INDEXED", refs: [Refs.minutesAsset])
        let outbox = Outbox(dataDirectory: setup.relay.configuration.dataDirectory)
        var dead: [DeliveryJob] = []
        for _ in 0..<200 where dead.isEmpty {
            try await Task.sleep(for: .milliseconds(50))
            dead = outbox.deadJobs()
        }
        let job = try #require(dead.first)
        #expect(job.channel == "ops")
        #expect(job.lastReply.contains("410"))
        #expect(job.lastReply.contains("channel_is_archived"))
        #expect(setup.sink.received.count == 1)
        #expect(!setup.relay.log.contains("/services/"))
        await setup.stop()
    }

    @Test("cards waiting in the outbox are sent after a restart")
    func restart() async throws {
        let setup = try await setup(channels: { [ChannelSettings(name: "chat", type: "mattermost", url: Secret($0.mattermostURL()))] },
                                    routes: [RouteSettings(channels: ["chat"])])
        // The service fails long enough for the card to still be waiting when the relay stops.
        setup.sink.script(.mattermost, replies: [.serverError(503, retryAfter: 30)])
        _ = try await setup.simulator.notify(trigger: "FULL_TEXT_INDEXED", refs: [Refs.closedAsset])
        _ = await setup.sink.waitForMessages(count: 1, timeout: .seconds(15))
        await setup.relay.stop()
        let outbox = Outbox(dataDirectory: setup.relay.configuration.dataDirectory)
        var waiting = try #require(outbox.pending(channel: "chat").first)
        #expect(waiting.attempts == 1)
        // Make it due now, as if the Retry-After had passed while the relay was down.
        waiting.nextAttemptAt = 0
        try outbox.save(waiting)
        try setup.relay.start()
        let messages = await setup.sink.waitForMessages(count: 2, timeout: .seconds(15))
        #expect(messages.last?.status == 200)
        #expect(messages.last.map { String(decoding: $0.body, as: UTF8.self).contains("Personnel file, 1950–1975") } == true)
        await setup.stop()
    }

    @Test("a channel's security tag policy hides or skips restricted assets")
    func securityTags() async throws {
        let setup = try await setup(channels: { sink in [
            ChannelSettings(name: "public", type: "discord", url: Secret(sink.discordURL()), securityTags: SecurityTagPolicy(allow: ["open"])),
            ChannelSettings(name: "staff", type: "slack", url: Secret(sink.slackURL()), securityTags: SecurityTagPolicy(deny: ["closed"], redact: true)),
        ] }, routes: [RouteSettings(channels: ["public", "staff"])])
        _ = try await setup.simulator.notify(trigger: "FULL_TEXT_INDEXED", refs: [Refs.closedAsset])
        let messages = await setup.sink.waitForMessages(count: 1, timeout: .seconds(15))
        try await Task.sleep(for: .milliseconds(300))
        #expect(setup.sink.received.map(\.target) == [.slack])
        let body = String(decoding: messages.first?.body ?? [], as: UTF8.self)
        #expect(body.contains("Restricted asset"))
        await setup.stop()
    }
}

@Suite("dead and replay as a process")
struct DeadLetterCommandTests {
    @Test("dead lists a failed card with its reply; replay puts it back in the outbox")
    func deadAndReplay() async throws {
        let relay = try RelayHarness()
        let data = relay.directory + "/data"
        try #"{ dataDir: "data", webhook: { secrets: ["s"] } }"#.write(toFile: relay.directory + "/relay.json5", atomically: true, encoding: .utf8)
        let outbox = Outbox(dataDirectory: data)
        let job = DeliveryJob(id: "7-0-ops", name: "000000000007-0000.json", channel: "ops", kind: "asset", event: "k",
                              createdAt: "2026-11-29T10:00:00.000Z", attempts: 1, payload: .object(.init()),
                              lastReply: "Slack answered 410: channel_is_archived")
        try outbox.save(job)
        try outbox.bury(job)
        let dead = try RelayProcess(["dead", "--config", "relay.json5"], directory: relay.directory)
        #expect(try await dead.exitCode() == 0)
        #expect(dead.stdout.contains("7-0-ops  ops  asset  attempts 1"))
        #expect(dead.stdout.contains("channel_is_archived"))
        let replay = try RelayProcess(["replay", "7-0-ops", "--config", "relay.json5"], directory: relay.directory)
        #expect(try await replay.exitCode() == 0)
        #expect(outbox.deadJobs().isEmpty)
        #expect(outbox.pending(channel: "ops").first?.attempts == 0)
        let unknown = try RelayProcess(["replay", "nope", "--config", "relay.json5"], directory: relay.directory)
        #expect(try await unknown.exitCode() == 1)
    }
}

@Suite("Digests")
struct DigestTests {
    typealias Refs = SimulatorRepository.SampleRefs

    private func run(refs: [String], threshold: Int) async throws -> [ChatSinkMessage] {
        let simulator = PreservicaSimulator(configuration: SimulatorConfiguration(password: "pw"))
        try simulator.start()
        let sink = ChatSink()
        try sink.start()
        let relay = try RelayHarness(preservica: PreservicaSettings(
            credentials: PreservicaCredentials(server: simulator.baseURL, username: "admin", password: "pw", tenant: "DEMO")))
        relay.configuration.channels = [ChannelSettings(name: "curators", type: "teams", url: Secret(sink.teamsWorkflowURL()),
                                                        digest: DigestSettings(window: .milliseconds(800), threshold: threshold, maxItems: 2))]
        relay.configuration.routes = [RouteSettings(channels: ["curators"])]
        try relay.start()
        _ = try await SubscriptionClient(connection: PreservicaConnection(credentials: relay.configuration.preservica!.credentials))
            .create(url: relay.webhookURL, trigger: .ingested, secret: RelayHarness.secret)
        _ = try await simulator.notify(trigger: "FULL_TEXT_INDEXED", refs: refs, eventsPerPost: 1)
        _ = await sink.waitForMessages(count: refs.count >= threshold ? 1 : refs.count, timeout: .seconds(15))
        try await Task.sleep(for: .milliseconds(1500))
        let received = sink.received
        await relay.stop()
        await sink.stop()
        await simulator.stop()
        return received
    }

    @Test("a burst at or over the threshold becomes one digest card listing the first items and the rest as more")
    func digest() async throws {
        let refs = [Refs.letterAsset, Refs.tokyoMapAsset, Refs.minutesAsset, Refs.albumAsset]
        let received = try await run(refs: refs, threshold: 3)
        #expect(received.count == 1)
        let text = String(decoding: received.first?.body ?? [], as: UTF8.self)
        #expect(text.contains("4"))
        #expect(text.contains("Bjørnson: brev til Åse, 1884"))
        #expect(!text.contains("Photograph album"), "maxItems 2 lists only the first two")
    }

    @Test("fewer than the threshold in the window go out as single cards")
    func singles() async throws {
        let received = try await run(refs: [Refs.letterAsset, Refs.tokyoMapAsset], threshold: 3)
        #expect(received.count == 2)
        #expect(received.filter(\.isDelivered).count == 2)
    }
}
