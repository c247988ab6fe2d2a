import Testing
import TestSupport
import Foundation
import JSON
import Relay
import PreservicaSimulator
import Preservica

/// `subscribe`, `subscriptions`, `unsubscribe` and `enrich` run as an operator runs them, against
/// the simulator and a running relay.
@Suite("Preservica commands as a process")
struct PreservicaCommandTests {
    typealias Refs = SimulatorRepository.SampleRefs

    @Test("subscribe, list and unsubscribe from the command line")
    func subscriptions() async throws {
        let simulator = PreservicaSimulator(configuration: SimulatorConfiguration(password: "pw"))
        try simulator.start()
        let relay = try RelayHarness()
        try relay.start()
        let directory = relay.directory
        try #"{ webhook: { secrets: ["${PRESERVICA_WEBHOOK_SECRET}"] } }"#.write(toFile: directory + "/relay.json5", atomically: true, encoding: .utf8)
        let environment = ["PRESERVICA_SERVER": simulator.baseURL, "PRESERVICA_USERNAME": "admin", "PRESERVICA_PASSWORD": "pw",
                           "PRESERVICA_TENANT": "DEMO", "PRESERVICA_WEBHOOK_SECRET": RelayHarness.secret]

        let subscribe = try RelayProcess(["subscribe", "--url", relay.webhookURL, "--trigger", "ingest", "--config", "relay.json5"],
                                         environment: environment, directory: directory)
        #expect(try await subscribe.exitCode() == 0, "\(subscribe.stderr)")
        let id = try #require(simulator.subscriptions.first?.id)
        #expect(subscribe.stdout.contains("subscription id \(id)"))

        let list = try RelayProcess(["subscriptions", "--config", "relay.json5"], environment: environment, directory: directory)
        #expect(try await list.exitCode() == 0)
        #expect(list.stdout.contains(id) && list.stdout.contains("FULL_TEXT_INDEXED") && list.stdout.contains(relay.webhookURL))

        let badTrigger = try RelayProcess(["subscribe", "--url", relay.webhookURL, "--trigger", "deleted", "--config", "relay.json5"],
                                          environment: environment, directory: directory)
        #expect(try await badTrigger.exitCode() == 2)
        #expect(badTrigger.stderr.contains("unknown trigger"))

        // The secret's variable set for the service but not in this shell: said so, no new secret offered.
        var shell = environment
        shell["PRESERVICA_WEBHOOK_SECRET"] = nil
        let unread = try RelayProcess(["subscribe", "--url", relay.webhookURL, "--trigger", "failed", "--config", "relay.json5"],
                                      environment: shell, directory: directory)
        #expect(try await unread.exitCode() == 2)
        #expect(unread.stderr.contains("webhook.secrets[0]: environment variable PRESERVICA_WEBHOOK_SECRET is not set"), "\(unread.stderr)")
        #expect(!unread.stdout.contains("New webhook secret"))
        #expect(simulator.subscriptions.count == 1)

        let unsubscribe = try RelayProcess(["unsubscribe", "--all", "--config", "relay.json5"], environment: environment, directory: directory)
        #expect(try await unsubscribe.exitCode() == 0)
        #expect(simulator.subscriptions.isEmpty)
        for process in [subscribe, list, unsubscribe] { #expect(!process.stdout.contains("pw") && !process.stderr.contains("pw\n")) }

        await relay.stop()
        await simulator.stop()
    }

    @Test("without credentials the commands say where credentials come from, and exit 2")
    func noCredentials() async throws {
        let relay = try RelayHarness()
        // No file at the built-in config/relay.json5, no variables, no credentials.properties.
        let list = try RelayProcess(["subscriptions"], directory: relay.directory)
        #expect(try await list.exitCode() == 2)
        #expect(list.stderr.contains("PRESERVICA_SERVER"))
    }

    @Test("enrich prints what the pipeline would learn about an asset")
    func enrich() async throws {
        let simulator = PreservicaSimulator(configuration: SimulatorConfiguration(password: "pw"))
        try simulator.start()
        let relay = try RelayHarness()
        let environment = ["PRESERVICA_SERVER": simulator.baseURL, "PRESERVICA_USERNAME": "admin", "PRESERVICA_PASSWORD": "pw"]
        let enrich = try RelayProcess(["enrich", "--ref", Refs.letterAsset, "--ref", Refs.unknown], environment: environment,
                                      directory: relay.directory)
        #expect(try await enrich.exitCode() == 1)
        #expect(enrich.stdout.contains("Bjørnson: brev til Åse, 1884"))
        #expect(enrich.stdout.contains("Collections / Letters & Correspondence / Bjørnson family papers"))
        #expect(enrich.stdout.contains("\(Refs.unknown)  NOT FOUND"))
        #expect(enrich.stdout.contains("enriched=1 failed=1"))
        await simulator.stop()
    }

    @Test("preview renders a real asset's card, prints its size, and writes an HTML picture")
    func preview() async throws {
        let simulator = PreservicaSimulator(configuration: SimulatorConfiguration(password: "pw"))
        try simulator.start()
        let relay = try RelayHarness()
        try #"{"type":"AdaptiveCard","version":"1.4","body":[{"type":"TextBlock","text":"[${asset.title}](${asset.url})"},{"type":"FactSet","facts":[{"$data":"${asset.bitstreams}","title":"${filename}","value":"${sizeText}"}]}],"actions":[{"type":"Action.OpenUrl","title":"Open in Preservica","url":"${asset.url}"}]}"#
            .write(toFile: relay.directory + "/card.json", atomically: true, encoding: .utf8)
        let environment = ["PRESERVICA_SERVER": simulator.baseURL, "PRESERVICA_USERNAME": "admin", "PRESERVICA_PASSWORD": "pw"]
        let preview = try RelayProcess(["preview", "--ref", Refs.minutesAsset, "--template", "card.json", "--html", "card.html"],
                                       environment: environment, directory: relay.directory)
        #expect(try await preview.exitCode() == 0, "\(preview.stderr)")
        #expect(preview.stdout.contains("Action.OpenUrl"))
        #expect(preview.stdout.contains("within the teams limit"))
        #expect(preview.stdout.contains("application/vnd.microsoft.card.adaptive"))

        let slack = try RelayProcess(["preview", "--ref", Refs.albumAsset, "--target", "slack"], environment: environment, directory: relay.directory)
        #expect(try await slack.exitCode() == 0, "\(slack.stderr)")
        #expect(slack.stdout.contains("\"blocks\""))
        #expect(slack.stdout.contains("within the slack limit"))
        let html = try String(contentsOfFile: relay.directory + "/card.html", encoding: .utf8)
        // The title holds "<draft> & notes": it must arrive escaped, never as markup.
        #expect(html.contains("&lt;draft&gt; &amp; notes"))
        #expect(!html.contains("<draft>"))
        #expect(html.contains("Open in Preservica"))

        let model = try RelayProcess(["preview", "--ref", Refs.letterAsset, "--model"], environment: environment, directory: relay.directory)
        #expect(try await model.exitCode() == 0)
        #expect(model.stdout.contains("\"totalSizeText\": \"19.9 MB\""))
        // docs/templates.md shows this model, for template authors to paste into the Designer: it
        // must have every member the relay builds, and no other.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        let docs = try String(contentsOfFile: root + "/docs/templates.md", encoding: .utf8)
        let example = try #require(docs.components(separatedBy: "### Example").dropFirst().first?
            .components(separatedBy: "```json\n").dropFirst().first?.components(separatedBy: "\n```").first)
        func paths(_ value: JSONValue, _ prefix: String = "") -> Set<String> {
            switch value {
            case .object(let object):
                // A bitstream's fixity is keyed by algorithm: data, not members.
                if prefix.hasSuffix(".fixity") { return [prefix] }
                return object.reduce(into: [prefix]) { $0.formUnion(paths($1.value, prefix + "." + $1.key)) }
            case .array(let items): return items.reduce(into: [prefix]) { $0.formUnion(paths($1, prefix + "[]")) }
            default: return [prefix]
            }
        }
        let documented = paths(try JSONParser.parse(Array(example.utf8)))
        let built = paths(try JSONParser.parse(Array(model.stdout.utf8)))
        #expect(built.subtracting(documented).sorted() == [], "members docs/templates.md's example lacks")
        #expect(documented.subtracting(built).sorted() == [], "members docs/templates.md's example has that the relay does not build")

        // The card a real asset would get is the card the configured relay sends: its display
        // settings (identifiers, time zone) apply.
        try #"{ webhook: { secrets: ["s"] }, display: { identifiers: ["code"], timeZone: "Europe/Oslo" } }"#
            .write(toFile: relay.directory + "/relay.json5", atomically: true, encoding: .utf8)
        let shown = try RelayProcess(["preview", "--ref", Refs.letterAsset, "--target", "slack", "--config", "relay.json5"],
                                     environment: environment, directory: relay.directory)
        #expect(try await shown.exitCode() == 0, "\(shown.stderr)")
        #expect(shown.stdout.contains("code: BJ-1884-017"), "\(shown.stdout)")
        #expect(["CET", "CEST", "GMT+1", "GMT+2"].contains(where: shown.stdout.contains), "the configured zone: \(shown.stdout)")
        await simulator.stop()
    }
}

@Suite("catch-up")
struct CatchUpTests {
    typealias Refs = SimulatorRepository.SampleRefs

    /// A running relay with one Mattermost channel, and its configuration in `relay.json5` for the
    /// catch-up command to read.
    private static func withConfigFile() async throws -> PipelineFixture {
        let fixture = try await PipelineFixture(channels: { [ChannelSettings(name: "ops", type: .mattermost, url: Secret($0.mattermostURL()))] },
                                                routes: [RouteSettings(channels: ["ops"])], triggers: [])
        let (simulator, sink, relay) = (fixture.simulator, fixture.sink, fixture.relay)
        try """
        { listen: "127.0.0.1:\(relay.port)", dataDir: "data", webhook: { secrets: ["\(RelayHarness.secret)"] },
          preservica: { server: "\(simulator.baseURL)", username: "admin", password: "pw", tenant: "DEMO" },
          channels: { ops: { type: "mattermost", url: "\(sink.mattermostURL())" } }, routes: [ { channels: ["ops"] } ] }
        """.write(toFile: relay.directory + "/relay.json5", atomically: true, encoding: .utf8)
        return fixture
    }

    @Test("catch-up turns assets changed while away into cards, and a second run finds nothing new")
    func catchUp() async throws {
        let fixture = try await Self.withConfigFile()
        let (simulator, sink, relay) = (fixture.simulator, fixture.sink, fixture.relay)

        // Deleted while the relay was away: updated-since lists it with deleted="true" and no type;
        // it is no ingest, so no card.
        let gone = simulator.repository.assets.last!.ref
        simulator.delete(asset: gone, at: "2026-11-30T12:00:00")
        let dry = try RelayProcess(["catch-up", "--since", "2000-01-01T00:00:00", "--dry-run", "--config", "relay.json5"],
                                   directory: relay.directory)
        #expect(try await dry.exitCode() == 0, "\(dry.stderr)")
        #expect(dry.stdout.contains("to send"))
        #expect(dry.stdout.contains(Refs.letterAsset))
        #expect(!dry.stdout.contains(gone), "\(dry.stdout)")
        #expect(dry.stdout.contains("1 deleted"), "\(dry.stdout)")
        #expect(sink.received.isEmpty)

        let run = try RelayProcess(["catch-up", "--since", "2000-01-01T00:00:00", "--config", "relay.json5"], directory: relay.directory)
        #expect(try await run.exitCode() == 0, "\(run.stderr)")
        let assets = simulator.repository.assets.count
        let cards = await sink.waitForMessages(count: assets, timeout: .seconds(60))
        #expect(cards.count == assets)
        #expect(cards.contains { String(decoding: $0.body, as: UTF8.self).contains("Bjørnson: brev til Åse, 1884") })

        let again = try RelayProcess(["catch-up", "--since", "2000-01-01T00:00:00", "--config", "relay.json5"], directory: relay.directory)
        #expect(try await again.exitCode() == 0)
        #expect(again.stdout.contains("\(assets) already received or delivered; 0 to send"))
        await fixture.stop()
    }

    @Test("--since reads zones and local times, also one in a daylight-saving gap, and refuses dates that are none")
    func sinceValues() {
        let london = TimeZone(identifier: "Europe/London")!
        #expect(CatchUpSince.normalized("2026-07-01T12:00:00", zone: london) == "2026-07-01T11:00:00.000Z")
        #expect(CatchUpSince.normalized("2026-07-01T12:00:00+0200", zone: london) == "2026-07-01T10:00:00.000Z")
        #expect(CatchUpSince.normalized("2026-03-29T01:30", zone: london) != nil, "in the spring-forward gap")
        #expect(CatchUpSince.normalized("2026-02-29", zone: london) == nil)
        #expect(CatchUpSince.normalized("2026-13-01", zone: london) == nil)
        #expect(CatchUpSince.normalized("yesterday", zone: london) == nil)
        // Digits of other scripts are digits to a regular expression, not to Int: refused, never a
        // crash or the year 1 (which would catch up the whole repository).
        #expect(CatchUpSince.normalized("٢٠٢٦-١١-٢٨", zone: london) == nil)
        #expect(CatchUpSince.normalized("２０２６-11-28", zone: london) == nil)
        #expect(CatchUpSince.normalized("2026-11-28T1٢:00", zone: london) == nil)
        #expect(CatchUpSince.normalized("2026-11-28T12:00+0١:00", zone: london) == nil)
    }

    @Test("catch-up --since with a zone asks Preservica for that instant (sent in UTC), and a date that is none is a usage error")
    func sinceWithAZone() async throws {
        let fixture = try await Self.withConfigFile()
        let relay = fixture.relay
        // The letter changed at 2025-03-01T12:00:00 UTC, the other assets long before.
        // 13:30 at +01:00 is 12:30 UTC: after the change, so nothing.
        let after = try RelayProcess(["catch-up", "--since", "2025-03-01T13:30:00+01:00", "--dry-run", "--config", "relay.json5"],
                                     directory: relay.directory)
        #expect(try await after.exitCode() == 0, "\(after.stderr)")
        #expect(after.stdout.contains("0 asset(s) changed"), "\(after.stdout)")
        // 12:30 at +00:30 is 12:00 UTC: the change itself. Read as a space, the `+` would leave a
        // zone-less 12:30, after it.
        let at = try RelayProcess(["catch-up", "--since", "2025-03-01T12:30:00+00:30", "--dry-run", "--config", "relay.json5"],
                                  directory: relay.directory)
        #expect(try await at.exitCode() == 0, "\(at.stderr)")
        #expect(!at.stdout.contains("0 asset(s) changed"), "\(at.stdout)")
        let bad = try RelayProcess(["catch-up", "--since", "2025-03-01T25:00:00", "--dry-run", "--config", "relay.json5"],
                                   directory: relay.directory)
        #expect(try await bad.exitCode() == 2, "\(bad.stdout)")
        await fixture.stop()
    }

    /// A relay with one Mattermost channel that has received and posted one ingest card.
    private static func relayThatPostedOneCard() async throws -> PipelineFixture {
        let fixture = try await PipelineFixture(channels: { [ChannelSettings(name: "ops", type: .mattermost, url: Secret($0.mattermostURL()))] },
                                                routes: [RouteSettings(channels: ["ops"])])
        try await fixture.ingest([Refs.letterAsset])
        _ = await fixture.sink.waitForMessages(count: 1, timeout: .seconds(60))
        return fixture
    }

    /// A relay that ran for days after its last notification was told of every change by
    /// webhook meanwhile: a catch-up at start from that notification would report those edits
    /// again as ingests. It asks from when the relay last ran instead.
    @Test("catchUp.onStart asks for what changed since the relay last ran, not since its last notification")
    func onStartFromLastRunning() async throws {
        let fixture = try await Self.relayThatPostedOneCard()
        let data = fixture.relay.configuration.dataDirectory
        let lastNotification = try #require(IncomingJournal.readRecords(directory: data + "/incoming").last?.metadata.receivedAt)
        await fixture.relay.stop()
        let lastRunning = try String(contentsOfFile: data + "/incoming/last-running", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(lastRunning > lastNotification)
        fixture.relay.configuration.catchUpOnStart = true
        try fixture.relay.start()
        #expect(await eventually { fixture.relay.log.contains("msg=catch-up since=") }, "\(fixture.relay.log)")
        #expect(fixture.relay.log.contains("msg=catch-up since=\(lastRunning) "), "\(fixture.relay.log)")
        await fixture.stop()
    }

    @Test("a catch-up at start that fails is kept: the next start catches up from its time, whatever was received meanwhile")
    func onStartFailureKeepsTheGap() async throws {
        let fixture = try await Self.relayThatPostedOneCard()
        let data = fixture.relay.configuration.dataDirectory
        await fixture.relay.stop()
        let since = try String(contentsOfFile: data + "/incoming/last-running", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        fixture.simulator.failNextCalls(100_000)
        fixture.relay.configuration.catchUpOnStart = true
        try fixture.relay.start()
        #expect(await eventually { fixture.relay.log.contains("catch-up failed") }, "\(fixture.relay.log)")
        // A notification received meanwhile moves neither the last notification nor the last run past the gap.
        let client = try fixture.relay.client()
        try await client.send(RelayHarness.signedRequest(RelayHarness.notification(entityRef: Refs.tokyoMapAsset)))
        #expect(try await client.readResponse().status == 200)
        #expect(await eventually { fixture.relay.journal.count == 2 })
        await fixture.relay.stop()
        #expect(FileManager.default.fileExists(atPath: data + "/incoming/catch-up-since"))
        // Preservica back: the next start asks from the same time, and the catch-up is done.
        fixture.simulator.failNextCalls(0)
        try fixture.relay.start()
        #expect(await eventually { fixture.relay.log.contains("msg=catch-up since=\(since) ") }, "\(fixture.relay.log)")
        #expect(await eventually { !FileManager.default.fileExists(atPath: data + "/incoming/catch-up-since") })
        await fixture.stop()
    }

    @Test("a start with catch-up off forgets a catch-up left from before, so turning it on months later does not reach back to then")
    func pendingCatchUpForgottenWhenOff() async throws {
        let relay = try RelayHarness()
        try FileManager.default.createDirectory(atPath: relay.configuration.dataDirectory + "/incoming", withIntermediateDirectories: true)
        let pending = relay.configuration.dataDirectory + "/incoming/catch-up-since"
        try "2026-08-01T00:00:00.000Z\n".write(toFile: pending, atomically: true, encoding: .utf8)
        try relay.start()
        #expect(!FileManager.default.fileExists(atPath: pending))
        await relay.stop()
    }
}
