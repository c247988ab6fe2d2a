import TestSupport
import Testing
import Foundation
import Relay
import Preservica
import PreservicaSimulator

/// Events about folders (deposit packages) over loopback: routes decide by entity type, the folder
/// is read through `structural-objects`, and the card names the folder and where it sits.
@Suite("Folder events: failures and moves of deposit packages")
struct FolderEventTests {
    typealias Refs = SimulatorRepository.SampleRefs

    @Test("a folder-level ingest failure reaches a route that takes SO, naming the folder and where it sits")
    func folderFailure() async throws {
        let setup = try await PipelineFixture(
            channels: { [ChannelSettings(name: "ops", type: .slack, url: Secret($0.slackURL()))] },
            routes: [RouteSettings(triggers: ["INGEST_FAILED"], entityTypes: ["IO", "SO"], channels: ["ops"])],
            triggers: [.ingestFailed])
        #expect(try await setup.simulator.notify(trigger: "INGEST_FAILED", refs: [Refs.bjornsonPapers]) == [200])
        let messages = await setup.sink.waitForMessages(count: 1, timeout: .seconds(60))
        let card = try #require(messages.first).bodyText
        let title = try #require(card.range(of: "*Folder*\\nBjørnson family papers"))
        let place = try #require(card.range(of: "Collections / Letters &amp; Correspondence"))
        let reason = try #require(card.range(of: "Preservica does not say why an ingest failed"))
        let reference = try #require(card.range(of: "*Reference*\\n\(Refs.bjornsonPapers)"))
        #expect(title.lowerBound < place.lowerBound && place.lowerBound < reason.lowerBound && reason.lowerBound < reference.lowerBound)
        #expect(setup.simulator.requestLog.contains("GET /api/entity/structural-objects/\(Refs.bjornsonPapers)"))
        #expect(!setup.simulator.requestLog.contains("GET /api/entity/information-objects/\(Refs.bjornsonPapers)"))
        await setup.stop()
    }

    @Test("simulate send sends a sample folder's ref as a folder-level failure, which gets a folder failure card")
    func simulateSendFolder() async throws {
        let setup = try await PipelineFixture(
            channels: { [ChannelSettings(name: "ops", type: .slack, url: Secret($0.slackURL()))] },
            routes: [RouteSettings(triggers: ["INGEST_FAILED"], entityTypes: ["SO"], channels: ["ops"])],
            triggers: [])
        let send = try RelayProcess(["simulate", "send", "--url", setup.relay.webhookURL, "--secret", RelayHarness.secret,
                                     "--trigger", "INGEST_FAILED", "--ref", Refs.restricted], directory: setup.relay.directory)
        #expect(try await send.exitCode() == 0)
        let journal = setup.relay.journal.map { String(decoding: $0.body, as: UTF8.self) }
        #expect(journal.first?.contains("\"entityType\":\"SO\",\"entityRef\":\"\(Refs.restricted)\"") == true)
        let messages = await setup.sink.waitForMessages(count: 1, timeout: .seconds(60))
        #expect(messages.first?.bodyText.contains("*Folder*\\nRestricted records") == true, "\(messages.first?.bodyText ?? "none")")
        #expect(!send.stdout.contains(RelayHarness.secret) && !send.stderr.contains(RelayHarness.secret))
        await setup.stop()
    }

    @Test("a redacted folder stays a folder card and shows neither its title nor where it sits")
    func redactedFolder() async throws {
        let setup = try await PipelineFixture(
            channels: { [ChannelSettings(name: "ops", type: .slack, url: Secret($0.slackURL()),
                                         securityTags: SecurityTagPolicy(deny: ["closed"], redact: true))] },
            routes: [RouteSettings(triggers: ["MOVED"], entityTypes: ["SO"], channels: ["ops"])],
            triggers: [.moved])
        #expect(try await setup.simulator.notify(trigger: "MOVED", refs: [Refs.restricted]) == [200])
        let messages = await setup.sink.waitForMessages(count: 1, timeout: .seconds(60))
        let card = try #require(messages.first).bodyText
        #expect(card.contains("Restricted folder: details hidden"))
        #expect(card.contains("Folder · Moved"))
        #expect(card.contains("SO&\(Refs.restricted)"))
        #expect(!card.contains("Restricted records") && !card.contains("Items") && !card.contains("*In*"))
        await setup.stop()
    }

    @Test("a moved folder gets a folder card with its item count; an IO-only route does not fire for it")
    func folderMove() async throws {
        let setup = try await PipelineFixture(
            channels: { [ChannelSettings(name: "ops", type: .mattermost, url: Secret($0.mattermostURL())),
                         ChannelSettings(name: "assets", type: .slack, url: Secret($0.slackURL()))] },
            routes: [RouteSettings(triggers: ["MOVED"], channels: ["assets"], continueMatching: true),
                     RouteSettings(triggers: ["MOVED"], entityTypes: ["SO"], channels: ["ops"])],
            triggers: [.moved])
        #expect(try await setup.simulator.notify(trigger: "MOVED", refs: [Refs.letters]) == [200])
        let messages = await setup.sink.waitForMessages(count: 1, timeout: .seconds(60))
        let message = try #require(messages.first)
        #expect(message.target == .mattermost)
        let card = message.bodyText
        #expect(card.contains("Letters & Correspondence"))
        #expect(card.contains("**Folder · Moved**"))
        #expect(card.contains("\"title\":\"In\",\"value\":\"Collections\""))
        #expect(card.contains("\"title\":\"Items\",\"value\":\"2 (folders and assets directly inside)\""))
        #expect(card.contains("SO&\(Refs.letters)"))
        #expect(!card.contains("Files"))
        // The event was routed (before its card was written) to the SO route's channel only.
        let routed = setup.audit.split(separator: "\n").first { $0.contains("\"step\":\"routed\"") } ?? ""
        #expect(routed.contains("\"channels\":[\"ops\"]"), "the IO-only route must not fire for a folder: \(routed)")
        #expect(setup.outbox.pendingCount(channel: "assets") == 0)
        await setup.stop()
    }

    @Test("without a route that takes SO, folder events are not looked up at all")
    func folderEventsSkipped() async throws {
        let setup = try await PipelineFixture(
            channels: { [ChannelSettings(name: "ops", type: .slack, url: Secret($0.slackURL()))] },
            routes: [RouteSettings(channels: ["ops"])])
        setup.simulator.clearRequestLog()
        #expect(try await setup.simulator.notify(trigger: "FULL_TEXT_INDEXED", refs: [Refs.maps, Refs.tokyoMapAsset]) == [200])
        // 30 s, as `eventually` waits: inside the full parallel suite one run took over 10 s.
        let messages = await setup.sink.waitForMessages(count: 1, timeout: .seconds(30))
        #expect(messages.first?.bodyText.contains("東京の地図") == true)
        #expect(await eventually { setup.relay.log.contains("no route takes this entity type") })
        #expect(!setup.simulator.requestLog.contains("GET /api/entity/structural-objects/\(Refs.maps)/children"))
        #expect(setup.sink.received.count == 1)
        await setup.stop()
    }
}
