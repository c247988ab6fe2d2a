import Foundation
import ChatTargets
import JSON
import Testing
import TestSupport
import Relay
import Preservica
import PreservicaSimulator

/// Values from Preservica are data, never markup: a hostile title, description, folder name, file
/// name and identifier reach every chat service as text, and a redacted asset shows none of them.
@Suite("Data from Preservica is never markup")
struct HostileDataTests {
    typealias Refs = SimulatorRepository.SampleRefs

    static let hostileAsset = "0badc0de-0000-4000-8000-00000000e711"
    static let hostileFolder = "0badc0de-0000-4000-8000-00000000f01d"
    /// Every trick each service's markup offers: a Markdown link and image, Slack and Google Chat
    /// tokens, mass mentions, Discord user mentions, HTML and bare URLs.
    static let hostileText = "[Re-authenticate your account](https://evil.example/login) <!channel> @here @everyone @all @room "
        + "<@U024BE7LH> <@&123456> <users/all> <https://evil.example/s|click> ![x](https://evil.example/p.png) "
        + "<a href=\"https://evil.example/a\">a</a> <img src=\"https://evil.example/i.png\"> <a href=//evil.example/b>b</a> "
        + "www.evil.example Www.evil.example wWw.evil.example javascript://evil.example "
        // Closing the link a template puts the value in, and opening none: no `://` to break.
        + "x](https:evil.example/hijack) [y"
        // The same, each markup character joined to a mark before (U+0600, a prepend) or after
        // (U+0301, combining) it into one grapheme cluster, which a service still reads as markup.
        + " \u{600}<!channel>\u{301} \u{600}<@U024BE7LH>\u{301} \u{600}<users/all>\u{301} \u{600}@here\u{301} \u{600}@all \u{600}@room"
        + " \u{600}[Log in\u{600}](https://evil.example/joined)\u{301} \u{600}<a href=https://evil.example/joined>\u{301}a\u{600}</a>\u{301}"
        + " \u{600}<img src=https://evil.example/joined.png>\u{301} \u{600}https://evil.example/joined \u{600}www.evil.example/joined"

    static var repository: SimulatorRepository {
        var repository = SimulatorRepository.sample
        repository.folders.append(SimulatedFolder(ref: hostileFolder, title: "Inbox " + hostileText, parent: Refs.collections))
        repository.assets.append(SimulatedAsset(
            ref: hostileAsset, title: hostileText, description: "Description " + hostileText, parent: hostileFolder,
            identifiers: [SimulatedIdentifier(type: "code", value: "@here [id](https://evil.example/id)")],
            representations: [SimulatedRepresentation(type: "Preservation", contentObjects: [
                SimulatedContentObject(ref: "0badc0de-0000-4000-8000-0000000c0001", title: "co", generations: [
                    SimulatedGeneration(bitstreams: [SimulatedBitstream(filename: "[f](https://evil.example/f) @channel invoice\u{202E}fdp.exe", size: 1_024,
                                                                        sha256: String(repeating: "a", count: 64))]),
                ]),
            ])]))
        if let closed = repository.assets.firstIndex(where: { $0.ref == Refs.closedAsset }) {
            repository.assets[closed].identifiers = [SimulatedIdentifier(type: "code", value: "PF-1950-SECRET")]
            repository.assets[closed].description = "Named staff member's grievance"
        }
        return repository
    }

    /// One channel of every chat service, all routed, all with the given security tag policy.
    static func channels(_ sink: ChatSink, policy: SecurityTagPolicy = SecurityTagPolicy()) -> [ChannelSettings] {
        ChatSinkTarget.allCases.map { target in
            // The sink names each service as the configuration does.
            ChannelSettings(name: target.rawValue, type: ChatTargetKind(rawValue: target.rawValue)!,
                            url: Secret(target == .matrix ? sink.matrixHomeserver : sink.url(for: target)),
                            room: target == .matrix ? "!relay:sink.local" : nil,
                            token: target == .matrix ? Secret(sink.matrixAccessToken) : nil,
                            securityTags: policy)
        }
    }

    @Test("a hostile title, description, folder, file name and identifier form no link, image or mention on any service")
    func hostileValuesStayText() async throws {
        let fixture = try await PipelineFixture(simulator: SimulatorConfiguration(password: "pw", repository: Self.repository),
                                                channels: { Self.channels($0) },
                                                routes: [RouteSettings(channels: ChatSinkTarget.allCases.map(\.rawValue))],
                                                triggers: [.ingested, .ingestFailed], identifiers: ["code"])
        try await fixture.ingest([Self.hostileAsset])
        // A failure card too: its title also goes where some services read other markup (Google
        // Chat's message text).
        _ = try await fixture.simulator.notify(trigger: "INGEST_FAILED", refs: [Self.hostileAsset])
        let messages = await fixture.sink.waitForMessages(count: 2 * ChatSinkTarget.allCases.count, timeout: .seconds(60)) { $0.isDelivered }
        #expect(messages.count == 2 * ChatSinkTarget.allCases.count)
        #expect(Set(messages.map(\.target)) == Set(ChatSinkTarget.allCases))
        for message in messages {
            let live = message.liveMarkup
            #expect(!live.contains { $0.contains("evil") }, "\(message.target.rawValue): \(live)")
            #expect(!live.contains { $0.hasPrefix("mention") }, "\(message.target.rawValue): \(live)")
            // No direction override makes `invoice\u{202E}fdp.exe` read as `invoiceexe.pdf`.
            if message.target != .webhook {
                #expect(!message.bodyText.unicodeScalars.contains { $0.value == 0x202E }, "\(message.target.rawValue)")
            }
            // The words themselves still show: escaped, not removed.
            #expect(message.bodyText.contains("authenticate your account"), "\(message.target.rawValue)")
        }
        // The identifier display.identifiers names is on every service's asset card, as text.
        let assetCards = messages.filter { $0.target != .webhook && !$0.bodyText.contains("failed") }
        #expect(assetCards.count == ChatSinkTarget.allCases.count - 1)
        for message in assetCards {
            #expect(message.shownTexts.contains { $0.contains("code: @here [id](https://evil.example/id)") || $0 == "@here [id](https://evil.example/id)" },
                    "\(message.target.rawValue): \(message.shownTexts)")
        }
        await fixture.stop()
    }

    @Test("the relay's own links reach every service whole: each asset's Explorer link, in a digest and on a card, and a failure card's Process Monitor")
    func ownLinksStayWhole() async throws {
        let fixture = try await PipelineFixture(simulator: SimulatorConfiguration(password: "pw"), channels: { sink in
            Self.channels(sink).map { channel in
                var digesting = channel
                digesting.digest = DigestSettings(window: .milliseconds(500), threshold: 2)
                return digesting
            }
        }, routes: [RouteSettings(channels: ChatSinkTarget.allCases.map(\.rawValue))], triggers: [.ingested, .ingestFailed])
        let link = { (ref: String) in "link \(fixture.simulator.baseURL)/explorer/explorer.html#properties:IO&\(ref)" }
        // Two assets in one window make a digest on every service; one alone then makes a card.
        try await fixture.ingest([Refs.letterAsset, Refs.minutesAsset])
        let digests = await fixture.sink.waitForMessages(count: ChatSinkTarget.allCases.count, timeout: .seconds(60)) { $0.isDelivered }
        #expect(digests.count == ChatSinkTarget.allCases.count)
        try await fixture.ingest([Refs.closedAsset])
        let cards = await fixture.sink.waitForMessages(count: 2 * ChatSinkTarget.allCases.count, timeout: .seconds(60)) { $0.isDelivered }
        #expect(cards.count == 2 * ChatSinkTarget.allCases.count)
        // A failure card links to the asset and to the Process Monitor, where its messages are.
        _ = try await fixture.simulator.notify(trigger: "INGEST_FAILED", refs: [Refs.letterAsset])
        let all = await fixture.sink.waitForMessages(count: 3 * ChatSinkTarget.allCases.count, timeout: .seconds(60)) { $0.isDelivered }
        #expect(all.count == 3 * ChatSinkTarget.allCases.count)
        for message in all {
            let live = message.liveMarkup
            let isDigest = digests.contains { $0.body == message.body }
            let isFailure = !cards.contains { $0.body == message.body }
            // The Teams connector's digest lists its assets as facts, which take no links.
            if isDigest && message.target == .teamsConnector { continue }
            let expected = isDigest ? [link(Refs.letterAsset), link(Refs.minutesAsset)]
                : isFailure ? [link(Refs.letterAsset), "link \(fixture.simulator.baseURL)/monitor"] : [link(Refs.closedAsset)]
            // Every link the relay makes works: a URL, not a broken attribute.
            #expect(live.allSatisfy { !$0.hasPrefix("link ") || $0.hasPrefix("link http") }, "\(message.target.rawValue): \(live)")
            for wanted in expected {
                #expect(live.contains(wanted), "\(message.target.rawValue): \(live)")
            }
        }
        await fixture.stop()
    }

    @Test("a notification's timestamp that is no time (markup, or year 0 by its offset) reaches every service as text, and the relay lives")
    func hostileTimestampStaysText() async throws {
        let fixture = try await PipelineFixture(simulator: SimulatorConfiguration(password: "pw"),
                                                channels: { Self.channels($0) },
                                                routes: [RouteSettings(channels: ChatSinkTarget.allCases.map(\.rawValue))])
        let client = try fixture.relay.client()
        for timestamp in ["[Sign in again](https://evil.example/t) <!channel> @here", "0000-01-01T00:00:00+00:01"] {
            let body = RelayHarness.notification(entityRef: Refs.letterAsset).replacingOccurrences(of: "2025-03-04T09:15:02.118", with: timestamp)
            try await client.send(RelayHarness.signedRequest(body))
            #expect(try await client.readResponse().status == 200)
        }
        let messages = await fixture.sink.waitForMessages(count: 2 * ChatSinkTarget.allCases.count, timeout: .seconds(60)) { $0.isDelivered }
        #expect(messages.count == 2 * ChatSinkTarget.allCases.count)
        for message in messages {
            let live = message.liveMarkup
            #expect(!live.contains { $0.contains("evil") }, "\(message.target.rawValue): \(live)")
            #expect(!live.contains { $0.hasPrefix("mention") }, "\(message.target.rawValue): \(live)")
        }
        await fixture.stop()
    }

    @Test("cards queued before a reload denies their tag, or starts hiding it, are not posted; the others are")
    func queuedCardsFollowThePolicyInForce() async throws {
        // Nothing listens on port 9: the cards wait in the outbox.
        let fixture = try await PipelineFixture(channels: { _ in [
            ChannelSettings(name: "news", type: .slack, url: Secret("http://127.0.0.1:9/hook")),
            ChannelSettings(name: "wall", type: .slack, url: Secret("http://127.0.0.1:9/wall")),
        ] }, routes: [RouteSettings(channels: ["news", "wall"])])
        try await fixture.ingest([Refs.closedAsset, Refs.letterAsset], eventsPerPost: 1)
        #expect(await eventually { fixture.outbox.pendingCount(channel: "news") == 2 && fixture.outbox.pendingCount(channel: "wall") == 2 })
        var reloaded = fixture.relay.configuration
        reloaded.channels = [
            ChannelSettings(name: "news", type: .slack, url: Secret(fixture.sink.slackURL(channel: "news")), securityTags: SecurityTagPolicy(deny: ["closed"])),
            ChannelSettings(name: "wall", type: .slack, url: Secret(fixture.sink.slackURL(channel: "wall")),
                            securityTags: SecurityTagPolicy(deny: ["closed"], redact: true)),
        ]
        await fixture.relay.service?.reload(reloaded)
        #expect(await eventually { fixture.outbox.pendingCount(channel: "news") == 0 && fixture.outbox.pendingCount(channel: "wall") == 0 })
        let messages = await fixture.sink.waitForMessages(count: 2, timeout: .seconds(60))
        #expect(messages.count == 2)
        for message in fixture.sink.received {
            #expect(!message.bodyText.contains("Personnel file") && message.bodyText.contains("Bjørnson"), "\(message.bodyText)")
        }
        let skipped = fixture.audit.split(separator: "\n").filter { $0.contains("\"step\":\"skipped\"") && $0.contains(Refs.closedAsset) }
        #expect(skipped.count == 2, "\(skipped)")
        await fixture.stop()
    }

    @Test("a digest waiting when a reload denies the tag of one of its assets is not posted, and is kept in dead/ with why")
    func queuedDigestFollowsThePolicyInForce() async throws {
        let fixture = try await PipelineFixture(channels: { _ in [
            ChannelSettings(name: "news", type: .slack, url: Secret("http://127.0.0.1:9/hook"),
                            digest: DigestSettings(window: .seconds(1), threshold: 2)),
        ] }, routes: [RouteSettings(channels: ["news"])])
        // Both in one notification, so one batch gathers both: in two, a loaded machine can plan
        // the second after the first's window has closed, and they go out as single cards.
        try await fixture.ingest([Refs.closedAsset, Refs.letterAsset], eventsPerPost: 2)
        #expect(await eventually { fixture.outbox.pending(channel: "news").contains { $0.name.hasSuffix("-digest.json") } })
        var reloaded = fixture.relay.configuration
        reloaded.channels = [ChannelSettings(name: "news", type: .slack, url: Secret(fixture.sink.slackURL(channel: "news")),
                                             digest: DigestSettings(window: .seconds(1), threshold: 2),
                                             securityTags: SecurityTagPolicy(deny: ["closed"]))]
        await fixture.relay.service?.reload(reloaded)
        #expect(await eventually { fixture.outbox.deadJobs().contains { $0.name.hasSuffix("-digest.json") } })
        let dead = try #require(fixture.outbox.deadJobs().first { $0.name.hasSuffix("-digest.json") })
        #expect(dead.lastReply.contains("security policy"), "\(dead.lastReply)")
        #expect(fixture.sink.received.isEmpty)
        await fixture.stop()
    }

    @Test("a redacted asset shows no title, description, folder, file name or identifier on any service")
    func redactionHidesEverything() async throws {
        let fixture = try await PipelineFixture(
            simulator: SimulatorConfiguration(password: "pw", repository: Self.repository),
            channels: { Self.channels($0, policy: SecurityTagPolicy(deny: ["closed"], redact: true)) },
            routes: [RouteSettings(channels: ChatSinkTarget.allCases.map(\.rawValue))])
        try await fixture.ingest([Refs.closedAsset])
        let messages = await fixture.sink.waitForMessages(count: ChatSinkTarget.allCases.count, timeout: .seconds(60)) { $0.isDelivered }
        #expect(Set(messages.map(\.target)) == Set(ChatSinkTarget.allCases))
        for message in messages {
            let text = message.bodyText
            for secret in ["Personnel file", "grievance", "Restricted records", "personnel-file.pdf", "PF-1950-SECRET"] {
                #expect(!text.contains(secret), "\(message.target.rawValue) shows \(secret)")
            }
            #expect(text.contains("details hidden"), "\(message.target.rawValue)")
        }
        await fixture.stop()
    }

    @Test("a redacted asset that moved says nothing of where it was, on any service")
    func redactionHidesThePreviousLocation() async throws {
        let fixture = try await PipelineFixture(
            simulator: SimulatorConfiguration(password: "pw", repository: Self.repository),
            channels: { Self.channels($0, policy: SecurityTagPolicy(deny: ["closed"], redact: true)) },
            routes: [RouteSettings(channels: ChatSinkTarget.allCases.map(\.rawValue))], triggers: [.ingested, .moved])
        try await fixture.ingest([Refs.closedAsset])
        _ = await fixture.sink.waitForMessages(count: ChatSinkTarget.allCases.count, timeout: .seconds(30)) { $0.isDelivered }
        fixture.simulator.changeRepository { repository in
            if let index = repository.assets.firstIndex(where: { $0.ref == Refs.closedAsset }) { repository.assets[index].parent = Refs.maps }
        }
        _ = try await fixture.simulator.notify(trigger: "MOVED", refs: [Refs.closedAsset])
        let all = await fixture.sink.waitForMessages(count: 2 * ChatSinkTarget.allCases.count, timeout: .seconds(60)) { $0.isDelivered }
        let moved = all.dropFirst(ChatSinkTarget.allCases.count)
        #expect(Set(moved.map(\.target)) == Set(ChatSinkTarget.allCases))
        for message in moved {
            let text = message.bodyText
            for secret in ["Restricted records", "Maps and plans", "Personnel file", "PF-1950-SECRET"] {
                #expect(!text.contains(secret), "\(message.target.rawValue) shows \(secret)")
            }
            #expect(text.contains("details hidden"), "\(message.target.rawValue)")
        }
        await fixture.stop()
    }

    static let denseAsset = "0badc0de-0000-4000-8000-00000000de75"

    @Test("a title of many code points per character (Devanagari, stacked marks) reaches every service whole or cut, never refused")
    func denseTitlesFitEveryService() async throws {
        // Services count characters as code points (or UTF-16 units); a reader's character can hold
        // many: Devanagari about 1.8 each, and a letter under 300 stacked marks 301.
        let devanagari = String(repeating: "हिन्दी पुस्तकालय अभिलेखागार ", count: 6)
        let stacked = "Z" + String(repeating: "\u{301}", count: 300)
        var repository = SimulatorRepository.sample
        repository.assets.append(SimulatedAsset(ref: Self.denseAsset, title: devanagari + stacked + " " + devanagari,
                                                description: String(repeating: stacked + " ", count: 20), parent: Refs.letters))
        try await ingestOnEveryService(Self.denseAsset, from: repository) { messages, _ in
            for message in messages {
                #expect(message.bodyText.contains("पुस्तकालय"), "\(message.target.rawValue)")
            }
        }
    }

    static let punctuatedAsset = "0badc0de-0000-4000-8000-0000000050a7"

    @Test("a title, a file name and a tenant with markup characters show as themselves on every service, not with escapes")
    func punctuationShowsAsItself() async throws {
        let title = "Smith_Jones & Co <1890> [draft] *final* #3"
        let file = "IMG_0001 [a] & b_c.tif"
        var repository = SimulatorRepository.sample
        repository.assets.append(SimulatedAsset(
            ref: Self.punctuatedAsset, title: title, description: "", parent: Refs.letters,
            representations: [SimulatedRepresentation(type: "Preservation", contentObjects: [
                SimulatedContentObject(ref: "0badc0de-0000-4000-8000-0000000c50a7", title: "co", generations: [
                    SimulatedGeneration(bitstreams: [SimulatedBitstream(filename: file, size: 1_024, sha256: String(repeating: "b", count: 64))]),
                ]),
            ])]))
        // A tenant's short name often has an underscore; Discord shows an embed's footer, where
        // the tenant is, as plain text.
        let fixture = try await PipelineFixture(simulator: SimulatorConfiguration(password: "pw", tenant: "ACME_TEST", repository: repository),
                                                channels: { Self.channels($0) },
                                                routes: [RouteSettings(channels: ChatSinkTarget.allCases.map(\.rawValue))],
                                                triggers: [.ingested, .ingestFailed])
        try await fixture.ingest([Self.punctuatedAsset])
        _ = try await fixture.simulator.notify(trigger: "INGEST_FAILED", refs: [Self.punctuatedAsset])
        let messages = await fixture.sink.waitForMessages(count: 2 * ChatSinkTarget.allCases.count, timeout: .seconds(60)) { $0.isDelivered }
        #expect(messages.count == 2 * ChatSinkTarget.allCases.count)
        #expect(Set(messages.map(\.target)) == Set(ChatSinkTarget.allCases))
        for message in messages {
            let shown = message.shownTexts
            // Every text that shows the title or the file name shows it whole, with no escape left.
            let titled = shown.filter { $0.contains("Smith") }
            #expect(!titled.isEmpty && titled.allSatisfy { $0.contains(title) }, "\(message.target.rawValue): \(titled)")
            let filed = shown.filter { $0.contains("IMG") }
            #expect(filed.allSatisfy { $0.contains(file) }, "\(message.target.rawValue): \(filed)")
            let tenanted = shown.filter { $0.contains("ACME") }
            #expect(tenanted.allSatisfy { $0.contains("ACME_TEST") }, "\(message.target.rawValue): \(tenanted)")
        }
        await fixture.stop()
    }

    static let namelessFilesAsset = "0badc0de-0000-4000-8000-00000000f11e"

    @Test("files with no name, or only spaces for one, still reach every service on its default card")
    func namelessFiles() async throws {
        var repository = SimulatorRepository.sample
        repository.assets.append(SimulatedAsset(
            ref: Self.namelessFilesAsset, title: "Nameless files", description: "", parent: Refs.letters,
            representations: [SimulatedRepresentation(type: "Preservation", contentObjects: [
                SimulatedContentObject(ref: "0badc0de-0000-4000-8000-0000000cf11e", title: "co", generations: [
                    SimulatedGeneration(bitstreams: ["", "   "].map { SimulatedBitstream(filename: $0, size: 1_024, sha256: String(repeating: "c", count: 64)) }),
                ]),
            ])]))
        try await ingestOnEveryService(Self.namelessFilesAsset, from: repository) { messages, fixture in
            #expect(fixture.outbox.deadJobs().isEmpty)
            // Discord, which refuses an empty field name, shows the nameless files as a dash.
            let discord = messages.first { $0.target == .discord }?.shownTexts ?? []
            #expect(discord.filter { $0 == "—" }.count == 2, "\(discord)")
        }
    }

    /// Ingests `ref` from `repository` into a relay with a channel on every service, waits until
    /// every service has taken its card, and hands the delivered cards to `check`.
    private func ingestOnEveryService(_ ref: String, from repository: SimulatorRepository,
                                      _ check: ([ChatSinkMessage], PipelineFixture) throws -> Void) async throws {
        let fixture = try await PipelineFixture(simulator: SimulatorConfiguration(password: "pw", repository: repository),
                                                channels: { Self.channels($0) },
                                                routes: [RouteSettings(channels: ChatSinkTarget.allCases.map(\.rawValue))])
        try await fixture.ingest([ref])
        let messages = await fixture.sink.waitForMessages(count: ChatSinkTarget.allCases.count, timeout: .seconds(60)) { $0.isDelivered }
        #expect(Set(messages.map(\.target)) == Set(ChatSinkTarget.allCases),
                "refused: \(fixture.sink.received.filter { !$0.isDelivered }.map { "\($0.target.rawValue): \($0.outcome)" })")
        do {
            try check(messages, fixture)
        } catch {
            await fixture.stop()
            throw error
        }
        await fixture.stop()
    }

    /// A template file holding `text`.
    static func template(_ text: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("card.json").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("an entity reference that is not a UUID cannot add a link or mention through asset.url")
    func hostileReferenceStaysInsideTheLink() async throws {
        // Preservica's references are UUIDs, but the relay builds links from whatever the
        // notification says; custom templates put `asset.url` inside Markdown and Slack links.
        let ref = "0badc0de)[Sign in](https:evil.example) <!channel>|<!here> @here"
        let custom: [ChatSinkTarget: String] = [
            .teams: #"{"type":"AdaptiveCard","version":"1.4","body":[{"type":"TextBlock","text":"[Open](${asset.url})"}]}"#,
            .slack: #"{"text":"x","blocks":[{"type":"section","text":{"type":"mrkdwn","text":"<${asset.url}|Open>"}}]}"#,
            .discord: #"{"embeds":[{"title":"x","description":"[Open](${asset.url})"}]}"#,
            .mattermost: #"{"attachments":[{"fallback":"x","text":"[Open](${asset.url})"}]}"#,
        ]
        var paths: [ChatSinkTarget: String] = [:]
        for (target, text) in custom { paths[target] = try Self.template(text) }
        let fixture = try await PipelineFixture(channels: { sink in
            Self.channels(sink).filter { paths[ChatSinkTarget(rawValue: $0.name)!] != nil }.map { channel in
                var channel = channel
                channel.templates = ["asset": paths[ChatSinkTarget(rawValue: channel.name)!]!]
                return channel
            }
        }, routes: [RouteSettings(channels: custom.keys.map(\.rawValue))])
        try await fixture.ingest([ref])
        let messages = await fixture.sink.waitForMessages(count: custom.count, timeout: .seconds(60)) { $0.isDelivered }
        #expect(Set(messages.map(\.target)) == Set(custom.keys))
        for message in messages {
            let live = message.liveMarkup
            #expect(!live.isEmpty, "\(message.target.rawValue): the relay's own link is missing")
            // Only the relay's own link, whole: the reference stays inside it (percent-encoded).
            #expect(live.allSatisfy { $0.hasPrefix("link " + fixture.simulator.baseURL) && $0.contains("%3C%21channel%3E%7C%3C%21here%3E%20%40here") },
                    "\(message.target.rawValue): \(live)")
        }
        await fixture.stop()
    }

    /// The status page and `preview` write titles with the same escaping as this picture.
    @Test("the HTML picture of a card keeps a tag joined to a mark before or after it as text")
    func pictureEscapesJoinedMarks() {
        let title = "Box \u{600}<img src=x onerror=alert(1)>\u{301}"
        let card = JSONValue.object(JSONObject([
            ("type", .string("AdaptiveCard")),
            ("body", .array([.object(JSONObject([("type", .string("TextBlock")), ("text", .string(title))]))])),
        ]))
        for page in [CardHTML.page(card, title: title), CardHTML.gallery([(heading: title, card: card)], title: title)] {
            #expect(!page.unicodeScalars.split(separator: "<").dropFirst().contains { $0.starts(with: "img".unicodeScalars) })
        }
    }

    @Test("the HTML picture of a card links only to http and https")
    func pictureLinksOnlyToTheWeb() {
        let card = JSONValue.object(JSONObject([
            ("type", .string("AdaptiveCard")),
            ("body", .array([
                .object(JSONObject([("type", .string("TextBlock")), ("text", .string("[open](javascript:alert(1)) [ok](https://ok.example)"))])),
                .object(JSONObject([("type", .string("Image")), ("url", .string("data:image/png;base64,AAAA"))])),
                // A template that puts data into a style property cannot add markup to the page.
                .object(JSONObject([("type", .string("TextBlock")), ("text", .string("styled")),
                                    ("color", .string("\"><img src=x onerror=alert(3)>"))])),
                .object(JSONObject([("type", .string("ColumnSet")), ("columns", .array([
                    .object(JSONObject([("type", .string("Column")), ("width", .number(1e300)), ("items", .array([]))])),
                ]))])),
            ])),
            ("actions", .array([.object(JSONObject([("type", .string("Action.OpenUrl")), ("title", .string("Go")),
                                                    ("url", .string("JavaScript:alert(2)"))]))])),
        ]))
        let page = CardHTML.page(card, title: "t")
        #expect(!page.lowercased().contains("javascript:"))
        #expect(!page.contains("data:image"))
        #expect(!page.contains("<img src=x"))
        #expect(page.contains("href=\"https://ok.example\""))
        #expect(page.contains(">open) <a"))
    }
}
