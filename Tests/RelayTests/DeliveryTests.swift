import Testing
import Foundation
import ChatTargets
import JSON
import Relay
import Preservica
import PreservicaSimulator
import TestSupport

/// Notification in, card out: the simulator notifies the relay, the relay enriches, routes,
/// renders and posts to the chat sinks, which answer like the real services.
@Suite("Delivery to chat services")
struct DeliveryTests {
    typealias Refs = SimulatorRepository.SampleRefs

    private func setup(channels: (ChatSink) -> [ChannelSettings], routes: [RouteSettings]) async throws -> PipelineFixture {
        try await PipelineFixture(channels: channels, routes: routes)
    }

    @Test("an ingest reaches Teams as an Adaptive Card in the Workflows envelope")
    func teams() async throws {
        let setup = try await setup(channels: { [ChannelSettings(name: "curators", type: .teams, url: Secret($0.teamsWorkflowURL()))] },
                                    routes: [RouteSettings(channels: ["curators"])])
        #expect(try await setup.simulator.notify(trigger: "FULL_TEXT_INDEXED", refs: [Refs.letterAsset]) == [200])
        let messages = await setup.sink.waitForMessages(count: 1, timeout: .seconds(60))
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
        // The sink has the card; the relay is done with it once it has recorded the reply.
        #expect(await eventually(timeout: .seconds(60)) { setup.audit.contains("\"step\":\"delivered\"") })
        #expect(Outbox(dataDirectory: setup.relay.configuration.dataDirectory).pending(channel: "curators").isEmpty)
        let audit = try String(contentsOfFile: setup.relay.configuration.dataDirectory + "/audit.log", encoding: .utf8)
        #expect(audit.contains("\"step\":\"routed\"") && audit.contains("\"step\":\"delivered\""))
        #expect(!audit.contains("sig="))

        let client = try setup.relay.client()
        try await client.send(RelayHarness.signedRequest(RelayHarness.notification(), secret: "forged"))
        _ = try await client.readResponse()
        try await client.send("GET /metrics HTTP/1.1\r\nHost: relay\r\n\r\n")
        let metrics = try await client.readResponse()
        #expect(metrics.headers["content-type"]?.hasPrefix("text/plain; version=0.0.4") == true)
        let text = metrics.bodyText
        #expect(text.contains("preservica_relay_notifications_accepted_total 1"))
        #expect(text.contains("preservica_relay_notifications_rejected_total{reason=\"bad_signature\"} 1"))
        #expect(text.contains("preservica_relay_deliveries_total{channel=\"curators\",outcome=\"delivered\"} 1"))
        #expect(text.contains("preservica_relay_enrichments_total{result=\"ok\"} 1"))
        #expect(text.contains("preservica_relay_event_to_card_seconds_count 1"))
        #expect(text.contains("preservica_relay_queue_depth{queue=\"outbox\"} 0"))
        #expect(!text.contains("sig=") && !text.contains("Bjørnson") && !text.contains(RelayHarness.secret))
        try await client.send("GET / HTTP/1.1\r\nHost: relay\r\n\r\n")
        let page = try await client.readResponse()
        #expect(page.headers["content-type"] == "text/html; charset=utf-8")
        #expect(page.bodyText.contains("<b>curators</b><br><span class=\"detail\">teams · 127.0.0.1</span>"))
        #expect(page.bodyText.contains("<span class=\"badge good\">delivering</span>"))
        #expect(!page.bodyText.contains("<script"))
        await setup.stop()
    }

    @Test("Slack throttling is retried after Retry-After and the card still arrives once")
    func throttled() async throws {
        let setup = try await setup(channels: { [ChannelSettings(name: "ops", type: .slack, url: Secret($0.slackURL()))] },
                                    routes: [RouteSettings(channels: ["ops"])])
        setup.sink.script(.slack, replies: [.slackThrottled(retryAfter: 1)])
        _ = try await setup.simulator.notify(trigger: "FULL_TEXT_INDEXED", refs: [Refs.tokyoMapAsset])
        let messages = await setup.sink.waitForMessages(count: 2, timeout: .seconds(60))
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
        let setup = try await setup(channels: { [ChannelSettings(name: "ops", type: .slack, url: Secret($0.slackURL(channel: "gone")))] },
                                    routes: [RouteSettings(channels: ["ops"])])
        setup.sink.script(.slack, replies: [.slackInvalidPayload], repeatingLast: true)
        _ = try await setup.simulator.notify(trigger: "FULL_TEXT_INDEXED", refs: [Refs.minutesAsset])
        let outbox = Outbox(dataDirectory: setup.relay.configuration.dataDirectory)
        _ = await eventually { !outbox.deadJobs().isEmpty }
        let job = try #require(outbox.deadJobs().first)
        #expect(job.channel == "ops")
        #expect(job.lastReply.contains("400"))
        #expect(job.lastReply.contains("invalid_payload"))
        #expect(setup.sink.received.count == 1)
        #expect(!setup.relay.log.contains("/services/"))
        await setup.stop()
    }

    /// A deleted webhook answers every post the same way, and Discord restricts senders that keep
    /// posting to one ("If a webhook returns a 404 status you should not attempt to use it
    /// again"). The cards are not the problem: they wait for the channel to get a working address.
    @Test("a deleted webhook (Discord 404 code 10015) is posted to once: the cards wait, the status page says gone, and a card that goes through sends them")
    func goneChannel() async throws {
        let setup = try await setup(channels: { [ChannelSettings(name: "ops", type: .discord, url: Secret($0.discordURL()))] },
                                    routes: [RouteSettings(channels: ["ops"])])
        setup.sink.script(.discord, replies: [.discordUnknownWebhook], repeatingLast: true)
        #expect(try await setup.simulator.notify(trigger: "FULL_TEXT_INDEXED", refs: [Refs.letterAsset]) == [200])
        #expect(await eventually { setup.audit.contains("\"step\":\"gone\"") })
        #expect(try await setup.simulator.notify(trigger: "FULL_TEXT_INDEXED", refs: [Refs.albumAsset]) == [200])
        #expect(try await setup.simulator.notify(trigger: "FULL_TEXT_INDEXED", refs: [Refs.minutesAsset]) == [200])
        let outbox = Outbox(dataDirectory: setup.relay.configuration.dataDirectory)
        #expect(await eventually { outbox.pendingCount(channel: "ops") == 3 })
        #expect(setup.sink.received.count == 1, "posted once, not once per card")
        #expect(outbox.deadJobs().isEmpty, "the cards are not given up")
        #expect(setup.relay.log.contains("the service says this channel's address no longer takes cards"))
        let client = try setup.relay.client()
        try await client.send("GET / HTTP/1.1\r\nHost: relay\r\n\r\n")
        let page = try await client.readResponse().bodyText
        #expect(page.contains("<span class=\"badge attention\">gone</span>") && page.contains("give the channel a new URL"), "\(page)")
        #expect(page.contains("10015"))

        // The webhook works again (made again at the same URL): an operator's reload (SIGHUP) ends
        // the wait, and the cards go at once.
        setup.sink.clearScripts()
        await setup.relay.service?.reload(setup.relay.configuration)
        #expect(await eventually { outbox.pendingCount(channel: "ops") == 0 })
        #expect(setup.sink.received.filter(\.isDelivered).count == 3, "\(setup.sink.received.map(\.status))")
        #expect(setup.sink.received.count == 4)

        // Gone again; this time a console test card that goes through ends the wait.
        setup.sink.script(.discord, replies: [.discordUnknownWebhook], repeatingLast: true)
        #expect(try await setup.simulator.notify(trigger: "FULL_TEXT_INDEXED", refs: [Refs.letterAsset]) == [200])
        #expect(await eventually { setup.sink.received.count == 5 && outbox.pendingCount(channel: "ops") == 1 })
        setup.sink.clearScripts()
        setup.relay.service?.channelTookCard("ops")
        #expect(await eventually { outbox.pendingCount(channel: "ops") == 0 })
        #expect(setup.sink.received.filter(\.isDelivered).count == 4)
        await setup.stop()
    }

    /// A relay stopped while its one card waits to be retried (the service failed with a long
    /// Retry-After), its outbox, and the waiting job.
    private func stoppedWithOneWaitingCard() async throws -> (PipelineFixture, Outbox, DeliveryJob?) {
        let setup = try await setup(channels: { [ChannelSettings(name: "chat", type: .mattermost, url: Secret($0.mattermostURL()))] },
                                    routes: [RouteSettings(channels: ["chat"])])
        setup.sink.script(.mattermost, replies: [.serverError(503, retryAfter: 30)])
        _ = try await setup.simulator.notify(trigger: "FULL_TEXT_INDEXED", refs: [Refs.closedAsset])
        // The job is saved with its next attempt before the retry is audited: stopping earlier
        // could let that save land after the caller's own.
        #expect(await eventually { setup.audit.contains("\"step\":\"retry\"") })
        await setup.relay.stop()
        let outbox = Outbox(dataDirectory: setup.relay.configuration.dataDirectory)
        return (setup, outbox, outbox.pending(channel: "chat").first)
    }

    @Test("cards waiting in the outbox are sent after a restart")
    func restart() async throws {
        let (setup, outbox, found) = try await stoppedWithOneWaitingCard()
        var waiting = try #require(found)
        #expect(waiting.attempts == 1)
        // Make it due now, as if the Retry-After had passed while the relay was down.
        waiting.nextAttemptAt = 0
        try outbox.save(waiting)
        try setup.relay.start()
        let messages = await setup.sink.waitForMessages(count: 2, timeout: .seconds(60))
        #expect(messages.last?.status == 200)
        #expect(messages.last.map { String(decoding: $0.body, as: UTF8.self).contains("Personnel file, 1950–1975") } == true)
        await setup.stop()
    }

    @Test("a job whose next attempt lies days ahead (clock stepped back, file edited) does not stall its channel")
    func clockStep() async throws {
        let (setup, outbox, found) = try await stoppedWithOneWaitingCard()
        var waiting = try #require(found)
        waiting.nextAttemptAt = Int64(Date().timeIntervalSince1970 * 1000) + 10 * 86_400_000
        try outbox.save(waiting)
        try setup.relay.start()
        let messages = await setup.sink.waitForMessages(count: 2, timeout: .seconds(60))
        #expect(messages.count == 2 && messages.last?.status == 200)
        await setup.stop()
    }

    @Test("a channel's security tag policy hides or skips restricted assets")
    func securityTags() async throws {
        let setup = try await setup(channels: { sink in [
            ChannelSettings(name: "public", type: .discord, url: Secret(sink.discordURL()), securityTags: SecurityTagPolicy(allow: ["open"])),
            ChannelSettings(name: "staff", type: .slack, url: Secret(sink.slackURL()), securityTags: SecurityTagPolicy(deny: ["closed"], redact: true)),
        ] }, routes: [RouteSettings(channels: ["public", "staff"])])
        _ = try await setup.simulator.notify(trigger: "FULL_TEXT_INDEXED", refs: [Refs.closedAsset])
        let messages = await setup.sink.waitForMessages(count: 1, timeout: .seconds(60))
        // Both channels are decided once the audit shows "public" skipped and "staff" delivered.
        #expect(await eventually(timeout: .seconds(60)) {
            let audit = setup.audit
            return audit.contains("\"step\":\"skipped\",\"channel\":\"public\"") && audit.contains("\"step\":\"delivered\",\"channel\":\"staff\"")
        })
        #expect(setup.sink.received.map(\.target) == [.slack])
        let body = String(decoding: messages.first?.body ?? [], as: UTF8.self)
        #expect(body.contains("Restricted asset"))
        await setup.stop()
    }
}

@Suite("dead and replay as a process")
struct DeadLetterCommandTests {
    /// A relay directory whose configuration has the Slack channel `ops`, and in its spool one
    /// dead card of `ops`, `7-0-ops`, that Slack refused for good.
    private static func deadOpsCard() throws -> (RelayHarness, Outbox, DeliveryJob) {
        let relay = try RelayHarness()
        try #"{ dataDir: "data", webhook: { secrets: ["s"] }, channels: { ops: { type: "slack", url: "https://hooks.slack.com/services/T/B/x" } } }"#
            .write(toFile: relay.directory + "/relay.json5", atomically: true, encoding: .utf8)
        let outbox = Outbox(dataDirectory: relay.directory + "/data")
        let job = DeliveryJob(id: "7-0-ops", name: "000000000007-0000.json", channel: "ops", kind: "asset", event: "k",
                              createdAt: "2026-11-29T10:00:00.000Z", attempts: 1, payload: .object(.init()),
                              lastReply: "Slack answered 410: channel_is_archived")
        try outbox.save(job)
        try outbox.bury(job)
        return (relay, outbox, job)
    }

    @Test("dead lists a failed card with its reply; replay puts it back in the outbox")
    func deadAndReplay() async throws {
        let (relay, outbox, job) = try Self.deadOpsCard()
        let dead = try RelayProcess(["dead", "--config", "relay.json5"], directory: relay.directory)
        #expect(try await dead.exitCode() == 0)
        #expect(dead.stdout.contains("7-0-ops  ops  asset  -  \"\"  attempts 1"))
        #expect(dead.stdout.contains("channel_is_archived"))
        let replay = try RelayProcess(["replay", "--id", "7-0-ops", "--config", "relay.json5"], directory: relay.directory)
        #expect(try await replay.exitCode() == 0)
        #expect(outbox.deadJobs().isEmpty)
        #expect(outbox.pending(channel: "ops").first?.attempts == 0)
        let unknown = try RelayProcess(["replay", "--id", "nope", "--config", "relay.json5"], directory: relay.directory)
        #expect(try await unknown.exitCode() == 1)

        // A dead letter of a channel since removed from the configuration: put back, it would wait
        // in an outbox no deliverer reads. It stays dead, and replay says so and exits 1.
        var orphan = job
        orphan.id = "8-0-gone"
        orphan.name = "000000000008-0000.json"
        orphan.channel = "gone"
        try outbox.save(orphan)
        try outbox.bury(orphan)
        let all = try RelayProcess(["replay", "--all", "--config", "relay.json5"], directory: relay.directory)
        #expect(try await all.exitCode() == 1)
        #expect(all.stderr.contains("channel \"gone\" is no longer configured"), "\(all.stderr)")
        #expect(outbox.deadJobs().map(\.id) == ["8-0-gone"])
        #expect(outbox.pending(channel: "gone").isEmpty)
    }

    /// `sudo preservica-relay replay` writes into a spool the relay owns as its own user: a
    /// root-owned 0600 job there is one the relay cannot open. Files and directories made take the
    /// owner of the directory they are in. (Only as root can the test give the spool another owner.)
    @Test("replay run as root leaves the jobs it writes owned by the spool's owner", .enabled(if: geteuid() == 0))
    func replayAsRootKeepsOwner() async throws {
        let (relay, _, _) = try Self.deadOpsCard()
        let data = relay.directory + "/data"
        try FileManager.default.removeItem(atPath: data + "/outbox")
        // The relay's user: nobody (65534), as a DynamicUser service would be someone not root.
        for path in [data, data + "/dead", data + "/dead/ops", data + "/dead/ops/000000000007-0000.json"] { #expect(chown(path, 65534, 65534) == 0) }
        let replay = try RelayProcess(["replay", "--all", "--config", "relay.json5"], directory: relay.directory)
        #expect(try await replay.exitCode() == 0, "\(replay.stderr)")
        for path in [data + "/outbox", data + "/outbox/ops", data + "/outbox/ops/000000000007-0000.json"] {
            var info = stat()
            #expect(stat(path, &info) == 0 && info.st_uid == 65534, "\(path) is owned by \(info.st_uid)")
        }
    }

    /// Run by someone who may not read the relay's spool, `dead` must not answer "No dead letters."
    @Test("dead and queue exit 1 on a spool they cannot read")
    func unreadableSpool() async throws {
        let relay = try RelayHarness()
        // A file where the spool should be: no directory can be read there.
        try Data("not a directory".utf8).write(to: URL(fileURLWithPath: relay.directory + "/data"))
        try #"{ dataDir: "data", webhook: { secrets: ["s"] } }"#.write(toFile: relay.directory + "/relay.json5", atomically: true, encoding: .utf8)
        for command in ["dead", "queue"] {
            let process = try RelayProcess([command, "--config", "relay.json5"], directory: relay.directory)
            #expect(try await process.exitCode() == 1, "\(command)")
            #expect(process.stderr.contains("cannot read the spool"), "\(command): \(process.stderr)")
            #expect(!process.stdout.contains("No dead letters"))
        }
    }

    /// Run from another directory, a relative `dataDir` names a spool that is not there: the
    /// commands say so rather than answer that nothing is queued or dead.
    @Test("dead, queue and replay exit 1 on a spool that is not there, naming where they looked")
    func missingSpool() async throws {
        let relay = try RelayHarness()
        try #"{ dataDir: "nowhere/data", webhook: { secrets: ["s"] } }"#.write(toFile: relay.directory + "/relay.json5", atomically: true, encoding: .utf8)
        for command in [["dead"], ["queue"], ["replay", "--all"]] {
            let process = try RelayProcess(command + ["--config", "relay.json5"], directory: relay.directory)
            #expect(try await process.exitCode() == 1, "\(command)")
            #expect(process.stderr.contains("no spool at") && process.stderr.contains("/nowhere/data"), "\(command): \(process.stderr)")
            #expect(!process.stdout.contains("No dead letters"))
        }
    }

    @Test("check-config and serve say when cards wait for a channel that is no longer configured")
    func orphanedQueue() async throws {
        let (relay, outbox, job) = try Self.deadOpsCard()
        var waiting = job
        waiting.channel = "old-name"
        try outbox.save(waiting)
        let check = try RelayProcess(["check-config", "--config", "relay.json5"], directory: relay.directory)
        #expect(try await check.exitCode() == 0)
        #expect(check.stdout.contains("old-name: 1 card(s) wait for a channel that is not configured"), "\(check.stdout)")
    }

    @Test("dead and replay name a dead letter they cannot read and exit 1, rather than leave it out")
    func unreadableDeadLetter() async throws {
        let (relay, _, _) = try Self.deadOpsCard()
        try Data("{}".utf8).write(to: URL(fileURLWithPath: relay.directory + "/data/dead/ops/000000000009-0000.json"))
        let dead = try RelayProcess(["dead", "--config", "relay.json5"], directory: relay.directory)
        #expect(try await dead.exitCode() == 1)
        #expect(dead.stderr.contains("000000000009-0000.json"), "\(dead.stderr)")
        #expect(dead.stdout.contains("000000000007") || dead.stdout.contains("ops"), "the readable one is still listed: \(dead.stdout)")
        let replay = try RelayProcess(["replay", "--all", "--config", "relay.json5"], directory: relay.directory)
        #expect(try await replay.exitCode() == 1)
        #expect(replay.stderr.contains("000000000009-0000.json"), "\(replay.stderr)")
    }
}

@Suite("Digests")
struct DigestTests {
    typealias Refs = SimulatorRepository.SampleRefs

    /// The cards the sink received, and `audit --ref`'s story of each asset.
    private func run(refs: [String], threshold: Int) async throws -> [ChatSinkMessage] {
        try await runWithStories(refs: refs, threshold: threshold).received
    }

    private func runWithStories(refs: [String], threshold: Int) async throws -> (received: [ChatSinkMessage], stories: [String: [AuditTimeline.Entry]]) {
        let fixture = try await PipelineFixture(channels: { [ChannelSettings(
            name: "curators", type: .teams, url: Secret($0.teamsWorkflowURL()),
            // A window long enough that four posts enriched one by one fall in it even on a loaded
            // machine (3 s was not, once, in a clean-clone CI run; 8 s was not, once, with three
            // busy loops on the two cores).
            digest: DigestSettings(window: .seconds(15), threshold: threshold, maxItems: 2))] },
            routes: [RouteSettings(channels: ["curators"])])
        try await fixture.ingest(refs, eventsPerPost: 1)
        _ = await fixture.sink.waitForMessages(count: refs.count >= threshold ? 1 : refs.count, timeout: .seconds(60))
        // Nothing is left to post once every asset is on a delivered card and the relay has recorded
        // the reply to every post.
        #expect(await eventually(timeout: .seconds(60)) {
            let received = fixture.sink.received
            return assetsCovered(by: received) >= refs.count && fixture.audit.count(of: "\"step\":\"delivered\"") == received.count
        })
        let received = fixture.sink.received
        let directory = fixture.relay.configuration.dataDirectory
        let stories = Dictionary(uniqueKeysWithValues: refs.map { ($0, AuditTimeline.entries(ref: $0, dataDirectory: directory)) })
        await fixture.stop()
        return (received, stories)
    }

    @Test("every service's digest row says 'no files' or 'not in Preservica', never '0 bytes'")
    func digestRowsSayWhatIsKnown() async throws {
        let targets = ChatSinkTarget.allCases.filter { $0 != .webhook }
        let fixture = try await PipelineFixture(
            channels: { sink in
                HostileDataTests.channels(sink).filter { $0.type != .webhook }.map { channel in
                    var channel = channel
                    channel.digest = DigestSettings(window: .seconds(3), threshold: 3)
                    return channel
                }
            },
            routes: [RouteSettings(channels: targets.map(\.rawValue))])
        // One notification: the three are enriched together and fall in one window.
        try await fixture.ingest([Refs.letterAsset, Refs.physicalAsset, Refs.unknown])
        let messages = await fixture.sink.waitForMessages(count: targets.count, timeout: .seconds(60))
        #expect(Set(messages.map(\.target)) == Set(targets))
        for message in messages {
            let text = message.shownTexts.joined(separator: "\n")
            #expect(text.contains("no files") && text.contains("not in Preservica"), "\(message.target.rawValue): \(text)")
            #expect(!text.contains("0 bytes"), "\(message.target.rawValue): \(text)")
        }
        await fixture.stop()
    }

    @Test("a burst at or over the threshold becomes one digest card listing the first items and the rest as more")
    func digest() async throws {
        let refs = [Refs.letterAsset, Refs.tokyoMapAsset, Refs.minutesAsset, Refs.albumAsset]
        let (received, stories) = try await runWithStories(refs: refs, threshold: 3)
        // `audit --ref` follows every asset to its delivery, listed on the card or counted in "more".
        for ref in refs {
            #expect(stories[ref]?.contains { $0.what == "delivered" && $0.detail.contains("digest of 4") } == true, "\(ref): \(stories[ref] ?? [])")
        }
        #expect(received.count == 1)
        let text = String(decoding: received.first?.body ?? [], as: UTF8.self)
        #expect(text.contains("4"))
        #expect(text.contains("Bjørnson: brev til Åse, 1884"))
        #expect(!text.contains("Photograph album"), "maxItems 2 lists only the first two")
    }

    @Test("what a digest channel's asset template leaves out stays out of its digests; a digest template that gives no card sends singles")
    func templatesChooseOnDigestChannels() async throws {
        let chooser = try TargetLimitTests.template(#"{"$when":"${!contains(asset.title, '東京')}","type":"AdaptiveCard","version":"1.4","body":[{"type":"TextBlock","text":"Single ${asset.title}"}]}"#)
        let never = try TargetLimitTests.template(#"{"$when":"${digest.count > 1000}","type":"AdaptiveCard","version":"1.4","body":[]}"#)
        let refs = [Refs.letterAsset, Refs.tokyoMapAsset, Refs.minutesAsset]
        let fixture = try await PipelineFixture(channels: { [
            ChannelSettings(name: "chosen", type: .teams, url: Secret($0.teamsWorkflowURL()), templates: ["asset": chooser],
                            digest: DigestSettings(window: .seconds(15), threshold: 2, maxItems: 5)),
            ChannelSettings(name: "singles", type: .teams, url: Secret($0.teamsWorkflowURL()), templates: ["digest": never],
                            digest: DigestSettings(window: .seconds(15), threshold: 2, maxItems: 5)),
        ] }, routes: [RouteSettings(channels: ["chosen", "singles"])])
        try await fixture.ingest(refs, eventsPerPost: 1)
        _ = await fixture.sink.waitForMessages(count: 4, timeout: .seconds(60))
        #expect(await eventually(timeout: .seconds(60)) { fixture.audit.components(separatedBy: "\"step\":\"delivered\"").count > 4 })
        let received = fixture.sink.received
        // chosen: one digest of the two it keeps; singles: three single cards.
        #expect(received.count == 4, "\(received.map(\.bodyText))")
        let digests = received.filter { $0.bodyText.contains("2 assets") }
        #expect(digests.count == 1 && !digests[0].bodyText.contains("東京"), "\(received.map(\.bodyText))")
        #expect(received.filter { $0.bodyText.contains("東京") }.count == 1, "the singles channel still carries it")
        let skipped = fixture.audit.split(separator: "\n").filter { $0.contains("\"step\":\"skipped\"") }
        #expect(skipped.count == 1 && skipped[0].contains(Refs.tokyoMapAsset) && skipped[0].contains("\"channel\":\"chosen\""), "\(skipped)")
        await fixture.stop()
    }

    @Test("fewer than the threshold in the window go out as single cards")
    func singles() async throws {
        let (received, stories) = try await runWithStories(refs: [Refs.letterAsset, Refs.tokyoMapAsset], threshold: 3)
        for (ref, story) in stories {
            #expect(story.contains { $0.what == "delivered" && $0.detail.contains("curators") }, "\(ref): \(story)")
        }
        #expect(received.count == 2)
        #expect(received.filter(\.isDelivered).count == 2)
    }
}

@Suite("Delivery retries per service")
struct DeliveryRetryTests {
    typealias Refs = SimulatorRepository.SampleRefs

    /// Relay + simulator + sink with one channel of `type`; sends one ingest of the letter asset.
    private func deliver(type: ChatTargetKind, url: @escaping (ChatSink) -> String, room: String? = nil, token: ((ChatSink) -> String)? = nil,
                         script: @escaping (ChatSink) -> Void, expect count: Int) async throws -> (ChatSink, RelayHarness, [ChatSinkMessage], () async -> Void) {
        let fixture = try await PipelineFixture(
            channels: { sink in [ChannelSettings(name: "chat", type: type, url: Secret(url(sink)), room: room,
                                                 token: token.map { make in Secret(make(sink)) })] },
            routes: [RouteSettings(channels: ["chat"])], beforeStart: script)
        try await fixture.ingest([Refs.letterAsset])
        let messages = await fixture.sink.waitForMessages(count: count, timeout: .seconds(60))
        return (fixture.sink, fixture.relay, messages, { await fixture.stop() })
    }

    @Test("Teams 429 with Retry-After, then 202")
    func teamsThrottled() async throws {
        let (_, _, messages, stop) = try await deliver(type: .teams, url: { $0.teamsWorkflowURL() },
                                                       script: { $0.script(.teams, replies: [.teamsWorkflowsThrottled(retryAfter: 1)]) }, expect: 2)
        #expect(messages.map(\.status) == [429, 202])
        if messages.count == 2 { #expect(messages[1].receivedAt.timeIntervalSince(messages[0].receivedAt) >= 0.9) }
        await stop()
    }

    @Test("500, 500, then success")
    func serverErrors() async throws {
        let (_, _, messages, stop) = try await deliver(type: .googleChat, url: { $0.googleChatURL() },
                                                       script: { $0.script(.googleChat, replies: [.serverError(500), .serverError(500)]) }, expect: 3)
        #expect(messages.map(\.status) == [500, 500, 200])
        await stop()
    }

    @Test("Discord's float retry_after is honoured")
    func discordFloat() async throws {
        let (_, _, messages, stop) = try await deliver(type: .discord, url: { $0.discordURL() },
                                                       script: { $0.script(.discord, replies: [.discordThrottled(retryAfter: 0.6)]) }, expect: 2)
        #expect(messages.map(\.status) == [429, 200])
        if messages.count == 2 { #expect(messages[1].receivedAt.timeIntervalSince(messages[0].receivedAt) >= 0.55) }
        await stop()
    }

    /// Without `?wait=true`, Discord answers 204 even for a message it then fails to save.
    @Test("Discord is asked to wait until the message is saved, so one it did not save is posted again")
    func discordWaits() async throws {
        let (sink, _, messages, stop) = try await deliver(type: .discord, url: { $0.discordURL() },
                                                          script: { $0.failNextDiscordSaves(1) }, expect: 2)
        #expect(messages.map(\.status) == [500, 200])
        #expect(sink.delivered.count == 1)
        await stop()
    }

    @Test("a Matrix retry reuses its transaction id")
    func matrixTxnId() async throws {
        let (_, _, messages, stop) = try await deliver(type: .matrix, url: { $0.matrixHomeserver }, room: "!relay:sink.local",
                                                       token: { $0.matrixAccessToken },
                                                       script: { $0.script(.matrix, replies: [.matrixLimitExceeded(retryAfterMs: 300)]) }, expect: 2)
        #expect(messages.map(\.status) == [429, 200])
        #expect(messages.count == 2 && messages[0].path == messages[1].path)
        #expect(messages.first?.method == "PUT")
        await stop()
    }

    @Test("400 goes to dead at once; after replay it is delivered; audit tells the story")
    func deadThenReplay() async throws {
        let (sink, relay, first, stop) = try await deliver(type: .slack, url: { $0.slackURL() },
                                                           script: { $0.script(.slack, replies: [.slackError(400, "invalid_blocks")]) }, expect: 1)
        #expect(first.map(\.status) == [400])
        let outbox = Outbox(dataDirectory: relay.configuration.dataDirectory)
        let auditLog = AuditLog(dataDirectory: relay.configuration.dataDirectory)
        // The job is moved to dead/ first and its audit line written just after.
        #expect(await eventually { auditLog.lines().contains { $0.contains("\"step\":\"dead\"") } })
        let job = try #require(outbox.deadJobs().first)
        #expect(job.ref == Refs.letterAsset)
        #expect(job.title == "Bjørnson: brev til Åse, 1884")
        try outbox.replay(job)
        let all = await sink.waitForMessages(count: 2, timeout: .seconds(60))
        #expect(all.map(\.status) == [400, 200])
        // The deliverer writes its audit line just after the answer.
        #expect(await eventually { auditLog.lines().contains { $0.contains("\"step\":\"delivered\"") } })
        try #"{ dataDir: "data", webhook: { secrets: ["s"] } }"#.write(toFile: relay.directory + "/relay.json5", atomically: true, encoding: .utf8)
        let audit = try RelayProcess(["audit", "--ref", Refs.letterAsset, "--config", "relay.json5"], directory: relay.directory)
        #expect(try await audit.exitCode() == 0)
        #expect(audit.stdout.contains("received") && audit.stdout.contains("notification seq 1, FULL_TEXT_INDEXED (ingest)"))
        #expect(audit.stdout.contains("routed") && audit.stdout.contains("given up") && audit.stdout.contains("delivered"))
        await stop()
    }
}

@Suite("serve killed in the middle of deliveries")
struct CrashDuringDeliveryTests {
    typealias Refs = SimulatorRepository.SampleRefs

    @Test("every accepted event is delivered after SIGKILL and a restart")
    func killAndRestart() async throws {
        let simulator = PreservicaSimulator(configuration: SimulatorConfiguration(password: "pw"))
        try simulator.start()
        let sink = ChatSink()
        try sink.start()
        // The service is unwell at first, so cards are still waiting or being retried when the relay dies.
        sink.script(.slack, replies: Array(repeating: .serverError(503, retryAfter: 1), count: 4))
        let relay = try RelayHarness()
        try """
        { listen: "127.0.0.1:0", dataDir: "data", webhook: { secrets: ["\(RelayHarness.secret)"] },
          preservica: { server: "\(simulator.baseURL)", username: "admin", password: "pw", tenant: "DEMO" },
          channels: { ops: { type: "slack", url: "\(sink.slackURL())" } },
          routes: [ { channels: ["ops"] } ] }
        """.write(toFile: relay.directory + "/relay.json5", atomically: true, encoding: .utf8)
        let first = try RelayProcess(["serve", "--config", "relay.json5"], directory: relay.directory)
        let port = try await first.listeningPort()
        _ = try await SubscriptionClient(connection: PreservicaConnection(credentials: PreservicaCredentials(
            server: simulator.baseURL, username: "admin", password: "pw", tenant: "DEMO")))
            .create(url: "http://127.0.0.1:\(port)/webhook", trigger: .ingested, secret: RelayHarness.secret)
        let refs = [Refs.letterAsset, Refs.tokyoMapAsset, Refs.minutesAsset, Refs.closedAsset, Refs.albumAsset, Refs.physicalAsset]
        #expect(try await simulator.notify(trigger: "FULL_TEXT_INDEXED", refs: refs, eventsPerPost: 1) == Array(repeating: 200, count: 6))
        _ = await sink.waitForMessages(count: 2, timeout: .seconds(60))
        first.send(SIGKILL)
        _ = try await first.exitCode()

        let second = try RelayProcess(["serve", "--config", "relay.json5"], directory: relay.directory)
        _ = try await second.listeningPort()
        let delivered = await sink.waitForMessages(count: refs.count, timeout: .seconds(40)) { $0.status == 200 }
        let bodies = delivered.map { String(decoding: $0.body, as: UTF8.self) }
        for title in ["Bjørnson: brev til Åse, 1884", "東京の地図", "Personnel file, 1950–1975", "Photograph album, 1890–1910"] {
            #expect(bodies.contains { $0.contains(title) }, "\(title) was not delivered")
        }
        #expect(Set(bodies).count >= refs.count)
        second.send(SIGTERM)
        #expect(try await second.exitCode() == 0)
        await sink.stop()
        await simulator.stop()
    }
}

@Suite("Backlog folding")
struct BacklogFoldTests {
    typealias Refs = SimulatorRepository.SampleRefs

    @Test("cards waiting too long behind a throttling service are folded into one digest")
    func fold() async throws {
        // Throttled for a while: the cards pile up in the outbox.
        let fixture = try await PipelineFixture(
            channels: { [ChannelSettings(name: "ops", type: .slack, url: Secret($0.slackURL()),
                                         digest: DigestSettings(window: .milliseconds(1), threshold: 3, maxItems: 10, foldAfter: .milliseconds(500)))] },
            // Throttled twice, 8 s in all: long enough for all four to arrive behind it even when a
            // loaded machine takes seconds to route each.
            routes: [RouteSettings(channels: ["ops"])],
            beforeStart: { $0.script(.slack, replies: [.slackThrottled(retryAfter: 4), .slackThrottled(retryAfter: 4)]) })
        let (simulator, sink, relay) = (fixture.simulator, fixture.sink, fixture.relay)
        // Each is sent once the previous one waits in the outbox as a single card, so no digest window
        // gathers them: only the backlog rule can fold them.
        let refs = [Refs.letterAsset, Refs.tokyoMapAsset, Refs.minutesAsset, Refs.albumAsset]
        let outbox = Outbox(dataDirectory: relay.configuration.dataDirectory)
        for (index, ref) in refs.enumerated() {
            _ = try await simulator.notify(trigger: "FULL_TEXT_INDEXED", refs: [ref])
            if index < 2 { _ = await eventually { outbox.pending(channel: "ops").count >= index + 1 } }
        }
        _ = await eventually(timeout: .seconds(60)) { fixture.audit.contains("\"step\":\"folded\"") }
        let messages = await sink.waitForMessages(count: 2, timeout: .seconds(60)) { _ in true }
        // Nothing is left to post once every asset is on a delivered card and the relay has recorded
        // the reply to every post (the 429 as a retry).
        #expect(await eventually(timeout: .seconds(60)) {
            let received = sink.received
            let audit = fixture.audit
            return assetsCovered(by: received) >= refs.count
                && audit.count(of: "\"step\":\"delivered\"") + audit.count(of: "\"step\":\"retry\"") == received.count
        })
        // A throttled first attempt, then the waiting cards folded into a digest: no flood of four singles.
        let delivered = sink.received.filter(\.isDelivered)
        #expect(messages.first?.status == 429)
        #expect(delivered.count < refs.count)
        let bodies = delivered.map { String(decoding: $0.body, as: UTF8.self) }
        #expect(bodies.contains { $0.contains("assets ingested") }, "\(bodies)")
        let audit = try String(contentsOfFile: relay.configuration.dataDirectory + "/audit.log", encoding: .utf8)
        #expect(audit.contains("\"step\":\"folded\""))
        await fixture.stop()
    }
}

@Suite("Generic webhooks and big bursts")
struct WebhookAndBurstTests {
    typealias Refs = SimulatorRepository.SampleRefs

    @Test("a generic webhook with a whsec_ secret is signed per Standard Webhooks and carries the data model")
    func signedWebhook() async throws {
        let secret = "whsec_" + Data((0..<24).map { UInt8($0 * 7 % 256) }).base64EncodedString()
        let fixture = try await PipelineFixture(
            sink: ChatSinkConfiguration(webhookSecret: secret),
            channels: { [ChannelSettings(name: "archive", type: .webhook, url: Secret($0.webhookURL()), token: Secret(secret))] },
            routes: [RouteSettings(channels: ["archive"])])
        let (simulator, sink) = (fixture.simulator, fixture.sink)
        _ = try await simulator.notify(trigger: "FULL_TEXT_INDEXED", refs: [Refs.letterAsset])
        let message = try #require(await sink.waitForMessages(count: 1, timeout: .seconds(60)).first)
        #expect(message.status == 200, "\(String(decoding: message.responseBody, as: UTF8.self))")
        #expect(message.headers["webhook-signature"]?.hasPrefix("v1,") == true)
        #expect(message.json?.objectValue?["asset"]?.objectValue?["title"] == .string("Bjørnson: brev til Åse, 1884"))
        await fixture.stop()
    }

    @Test("200 ingests within a digest window reach the channel as at most 5 cards")
    func twoHundred() async throws {
        let refs = (1...200).map { String(format: "c0000000-0000-4000-8000-%012d", $0) }
        let fixture = try await PipelineFixture(
            channels: { [ChannelSettings(name: "curators", type: .teams, url: Secret($0.teamsWorkflowURL()),
                                         digest: DigestSettings(window: .seconds(3), threshold: 10, maxItems: 15))] },
            routes: [RouteSettings(channels: ["curators"])])
        let (simulator, sink) = (fixture.simulator, fixture.sink)
        for (index, ref) in refs.enumerated() {
            simulator.add(SimulatedAsset(ref: ref, title: "Bulk item \(index + 1)", parent: Refs.maps))
        }
        let statuses = try await simulator.notify(trigger: "FULL_TEXT_INDEXED", refs: refs, eventsPerPost: 20)
        #expect(statuses.allSatisfy { $0 == 200 })
        // Every asset is on a card: wait for the digests to cover all 200.
        _ = await eventually(timeout: .seconds(30)) { assetsCovered(by: sink.received) >= refs.count }
        #expect(assetsCovered(by: sink.received) == refs.count)
        #expect(sink.received.count <= 5)
        await fixture.stop()
    }
}

/// How many assets the delivered cards in `messages` show: a digest's count ("12 assets
/// ingested …"), one for any other card.
private func assetsCovered(by messages: [ChatSinkMessage]) -> Int {
    messages.filter(\.isDelivered).reduce(0) { total, message in
        let text = String(decoding: message.body, as: UTF8.self)
        guard let range = text.range(of: #"\d+ assets ingested"#, options: .regularExpression) else { return total + 1 }
        return total + (Int(text[range].split(separator: " ")[0]) ?? 0)
    }
}

private extension String {
    /// How many times `needle` occurs.
    func count(of needle: String) -> Int { components(separatedBy: needle).count - 1 }
}
