import Testing
import JSON
import Preservica
import PreservicaSimulator
import TestSupport
@testable import Relay

/// A console channel's policy holds the folders above an asset to it too (`SecurityTagPolicy.folders`).
@Suite("Security tags of the folders above")
struct FolderSecurityTagTests {
    private static func channel() -> ChannelSettings {
        var channel = DelivererRig.webhook()
        channel.securityTags = SecurityTagPolicy(allow: ["open"])
        channel.securityTags.folders = true
        return channel
    }

    /// An asset tagged `tag` in folders tagged `folderTags`, the top first.
    private static func asset(_ tag: String, in folderTags: [String]) -> EnrichedAsset {
        let path = folderTags.enumerated().map { index, folderTag in
            FolderEntity(ref: "f\(index)", title: "Folder \(index)", description: nil, securityTag: folderTag, parentRef: index == 0 ? nil : "f\(index - 1)")
        }
        return EnrichedAsset(ref: "a", asset: AssetEntity(ref: "a", title: "A", description: nil, securityTag: tag, parentRef: path.last?.ref),
                             path: path, bitstreams: [], identifiers: [], notFound: false, problems: [])
    }

    @Test("the strictest of the asset's and its folders' decisions, with the reason; a file channel's policy reads the asset's only")
    func decisions() {
        var policy = SecurityTagPolicy(allow: ["open"])
        #expect(policy.decision(for: Self.asset("open", in: ["open", "closed"])).0 == .show)
        policy.folders = true
        let inClosed = policy.decision(for: Self.asset("open", in: ["open", "closed"]))
        #expect(inClosed.0 == .skip && inClosed.reason == "security tag of a folder above it (closed)")
        #expect(policy.decision(for: Self.asset("open", in: ["open"])).0 == .show)
        let closed = policy.decision(for: Self.asset("closed", in: []))
        #expect(closed.0 == .skip && closed.reason == "security tag closed")
        #expect(policy.mayShowPrevious(folderTags: ["open"]) && !policy.mayShowPrevious(folderTags: nil) && !policy.mayShowPrevious(folderTags: ["closed"]))
    }

    /// Folders that could not be read cannot be shown to pass: the card is skipped, as the
    /// console's browser shows nothing of such an asset.
    @Test("an asset whose folders could not be read gets no card on a channel held to its folders")
    func unreadFolders() throws {
        let rig = try DelivererRig(channel: Self.channel())
        let event = WebhookEvent(event: "e", entityType: "IO", entityRef: "ref-1")
        let notification = WebhookNotification(subscriptionId: "s", timestamp: "2027-01-15T08:00:00.000", tenant: "T", version: "7.7",
                                               trigger: "FULL_TEXT_INDEXED", events: [event])
        var asset = EnrichedAsset(ref: "ref-1", asset: AssetEntity(ref: "ref-1", title: "Open", description: nil, securityTag: "open", parentRef: "f1"),
                                  path: [], bitstreams: [], identifiers: [], notFound: false, problems: ["folders"])
        asset.pathRead = false
        #expect(try rig.planner.plan(sequence: 1, eventIndex: 0, notification: notification, event: event, asset: asset).isEmpty)
        #expect(rig.pending.isEmpty)
        asset.pathRead = true
        asset.path = [FolderEntity(ref: "f1", title: "Open folder", description: nil, securityTag: "open", parentRef: nil)]
        #expect(try rig.planner.plan(sequence: 2, eventIndex: 0, notification: notification, event: event, asset: asset) == ["hook"])
    }

    @Test("a job keeps the folder tags its card names across its file; a job from before has none and is held to its own tag")
    func jobFolderTagsRoundTrip() throws {
        var policy = SecurityTagPolicy(allow: ["open"])
        policy.folders = true
        let old = try #require(DeliveryJob(name: "1.json", json: .object(JSONObject([
            ("id", .string("1")), ("channel", .string("c")), ("payload", .object(JSONObject())), ("securityTag", .string("open")),
        ]))))
        #expect(old.security == DeliveryJob.ItemSecurity(securityTag: "open", redacted: false, folderTags: nil))
        #expect(old.isAllowed(by: policy))

        var job = old
        job.security = DeliveryJob.ItemSecurity(securityTag: "open", redacted: false, folderTags: ["open", "reading-room"])
        job.items = [DeliveryJob.ItemSecurity(securityTag: "open", redacted: true, folderTags: ["closed"])]
        let read = try #require(DeliveryJob(name: "1.json", json: job.json))
        #expect(read.security == job.security && read.items == job.items)
        #expect(!read.isAllowed(by: policy), "a folder it names is no longer allowed")
        #expect(read.isAllowed(by: SecurityTagPolicy(allow: ["open"], redact: true)), "a file channel's policy reads the asset's tag only")

        // From a card's model: the folders above and those it names as where the asset was.
        let model = JSONValue.object(JSONObject([("asset", .object(JSONObject([
            ("securityTag", .string("open")),
            ("path", .array([.object(JSONObject([("ref", .string("f")), ("securityTag", .string("open"))]))])),
            ("previous", .object(JSONObject([("folderTags", .array([.string("reading-room")]))]))),
        ])))]))
        #expect(CardPlanner.itemSecurity(of: model)?.folderTags == ["open", "reading-room"])
        // A model from before folders carried their tags: not known.
        let older = JSONValue.object(JSONObject([("asset", .object(JSONObject([
            ("securityTag", .string("open")), ("path", .array([.object(JSONObject([("ref", .string("f"))]))])),
        ])))]))
        #expect(CardPlanner.itemSecurity(of: older)?.folderTags == nil)
    }

    /// A card's turn can come long after it was planned (the service was down); by then a reload
    /// may have closed a folder it names.
    @Test("a card queued before a reload closes a folder above its asset is not posted; a card whose folders stay open is")
    func queuedCardsFollowTheFolderPolicyInForce() async throws {
        let readingRoom = "0badc0de-0000-4000-8000-00000000f01d"
        let inReadingRoom = "0badc0de-0000-4000-8000-0000000a55e7"
        var repository = SimulatorRepository.sample
        repository.folders.append(SimulatedFolder(ref: readingRoom, title: "Reading room only", securityTag: "reading-room",
                                                  parent: SimulatorRepository.SampleRefs.letters))
        repository.assets.append(SimulatedAsset(ref: inReadingRoom, title: "Open letter in a reading-room folder", parent: readingRoom))
        func channel(_ url: String, allow: [String]) -> ChannelSettings {
            var channel = ChannelSettings(name: "curators", type: .slack, url: Secret(url), securityTags: SecurityTagPolicy(allow: allow))
            channel.securityTags.folders = true
            return channel
        }
        // Nothing listens on port 9: the cards wait in the outbox.
        let fixture = try await PipelineFixture(simulator: SimulatorConfiguration(password: "pw", repository: repository),
                                                channels: { _ in [channel("http://127.0.0.1:9/hook", allow: ["open", "reading-room"])] },
                                                routes: [RouteSettings(channels: ["curators"])])
        try await fixture.ingest([inReadingRoom, SimulatorRepository.SampleRefs.letterAsset], eventsPerPost: 1)
        #expect(await eventually { fixture.outbox.pendingCount(channel: "curators") == 2 })
        var reloaded = fixture.relay.configuration
        reloaded.channels = [channel(fixture.sink.slackURL(channel: "curators"), allow: ["open"])]
        await fixture.relay.service?.reload(reloaded)
        #expect(await eventually { fixture.outbox.pendingCount(channel: "curators") == 0 })
        let messages = await fixture.sink.waitForMessages(count: 1, timeout: .seconds(60))
        #expect(messages.count == 1)
        for message in fixture.sink.received {
            #expect(!message.bodyText.contains("Reading room") && message.bodyText.contains("Bjørnson"), "\(message.bodyText)")
        }
        let skipped = fixture.audit.split(separator: "\n").filter { $0.contains("\"step\":\"skipped\"") && $0.contains(inReadingRoom) }
        #expect(skipped.count == 1, "\(skipped)")
        await fixture.stop()
    }
}
