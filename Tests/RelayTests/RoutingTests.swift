import Testing
import Foundation
import Relay
import PreservicaSimulator

@Suite("Channels, routes and the route table")
struct RoutingTests {
    private func parse(_ text: String, environment: [String: String] = [:]) throws(ConfigurationError) -> RelayConfiguration {
        try RelayConfiguration.parse(Data(text.utf8), file: "relay.json5", environment: environment)
    }

    private let example = """
    { webhook: { secrets: ["s"] },
      channels: {
        curators: { type: "teams", url: "${TEAMS_URL}", digest: { window: "60s", threshold: 10, maxItems: 15 } },
        ops:      { type: "slack", url: "https://hooks.slack.com/services/T/B/X" },
        public:   { type: "discord", url: "https://discord.com/api/webhooks/1/abc", securityTags: { allow: ["open"] } },
        room:     { type: "matrix", homeserver: "https://matrix.example.org", room: "!r:example.org", token: "tok" },
      },
      routes: [
        { triggers: ["FULL_TEXT_INDEXED"], folder: "F-LETTERS", channels: ["curators"], continue: true },
        { triggers: ["ingest"], channels: ["public"] },
        { triggers: ["INGEST_FAILED"], channels: ["ops", "curators"] },
        { triggers: ["moved", "security"], channels: ["curators"] },
      ] }
    """

    @Test("the documented channels and routes read, aliases become wire values")
    func documented() throws {
        let configuration = try parse(example, environment: ["TEAMS_URL": "https://0f1e2d3c.a1.environment.api.powerplatform.com/powerautomate/automations/direct/workflows/x"])
        #expect(configuration.channels.map(\.name).sorted() == ["curators", "ops", "public", "room"])
        let curators = try #require(configuration.channels.first { $0.name == "curators" })
        #expect(curators.digest == DigestSettings(window: .seconds(60), threshold: 10, maxItems: 15))
        #expect(curators.host == "0f1e2d3c.a1.environment.api.powerplatform.com")
        #expect(!"\(curators.url)".contains("workflows"))
        #expect(configuration.routes[1].triggers == ["FULL_TEXT_INDEXED"])
        #expect(configuration.routes[3].triggers == ["MOVED", "CHANGED_SECURITY_DESCRIPTOR"])
        #expect(configuration.warnings.isEmpty)
    }

    @Test("route problems name their JSON path")
    func problems() {
        do {
            _ = try parse("""
            { webhook: { secrets: ["s"] },
              channels: { a: { type: "irc", url: "https://x" }, b: { type: "slack" }, c: { type: "teams", url: "not a url" } },
              routes: [ { triggers: ["deleted"], channels: ["nowhere"], titleMatches: "([" } ] }
            """)
            Issue.record("expected problems")
        } catch {
            #expect(error.problems.contains { $0.hasPrefix("channels.a.type: expected one of teams") })
            #expect(error.problems.contains { $0.hasPrefix("channels.b.url: required") })
            #expect(error.problems.contains { $0.hasPrefix("channels.c.url: expected an http(s) URL") })
            #expect(error.problems.contains { $0.hasPrefix("routes[0].triggers[0]: unknown trigger \"deleted\"") })
            #expect(error.problems.contains { $0 == "routes[0].channels[0]: no channel named \"nowhere\" in channels" })
            #expect(error.problems.contains { $0.hasPrefix("routes[0].titleMatches: not a valid regular expression") })
        }
    }

    @Test("a channel name that could escape the spool, and a webhook path the relay owns, are refused")
    func unsafeNames() {
        do {
            _ = try parse("""
            { webhook: { path: "/metrics", secrets: ["s"] },
              channels: { "../etc": { type: "slack", url: "https://hooks.slack.com/services/T/B/x" },
                          "ok-1.b_c": { type: "slack", url: "https://hooks.slack.com/services/T/B/y" } } }
            """)
            Issue.record("expected problems")
        } catch {
            #expect(error.problems.contains { $0.hasPrefix("channels.../etc: a channel name is 1 to 64 letters") })
            #expect(error.problems.contains { $0.hasPrefix("webhook.path: \"/metrics\" is taken by the relay itself") })
            #expect(error.problems.count == 2)
        }
    }

    @Test("retired connector hosts, old Workflows hosts and non-Workflows teams URLs are warnings")
    func warnings() throws {
        let configuration = try parse("""
        { webhook: { secrets: ["s"] }, channels: {
            old: { type: "teams-connector", url: "https://contoso.webhook.office.com/webhookb2/x" },
            odd: { type: "teams", url: "https://example.org/hook" },
            moved: { type: "teams", url: "https://prod-01.westeurope.logic.azure.com:443/workflows/x/triggers/manual/paths/invoke" },
            current: { type: "teams", url: "https://0f1e2d3c.a1.environment.api.powerplatform.com/powerautomate/automations/direct/workflows/x" } } }
        """)
        #expect(configuration.warnings.contains { $0.hasPrefix("channels.old.url: Office 365 connectors") })
        #expect(configuration.warnings.contains { $0.hasPrefix("channels.odd.url: this does not look like a Teams Workflows URL") })
        #expect(configuration.warnings.contains { $0.hasPrefix("channels.moved.url: Microsoft moved Workflows triggers from *.logic.azure.com") })
        #expect(!configuration.warnings.contains { $0.hasPrefix("channels.current.") })
        #expect(configuration.warnings.count == 3)
    }

    @Test("a template that does not compile is a configuration problem with its location")
    func badTemplate() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID()).json").path
        try #"{"text":"${nosuch(asset.title)}"}"#.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            _ = try parse(#"{ webhook: { secrets: ["s"] }, channels: { a: { type: "slack", url: "https://h/x", templates: { asset: "\#(path)" } } } }"#)
            Issue.record("expected a problem")
        } catch {
            #expect(error.problems.first?.hasPrefix("channels.a.templates.asset:") == true)
            #expect(error.problems.first?.contains("nosuch") == true)
        }
    }

    @Test("first match wins unless continue; folders match their whole subtree")
    func table() throws {
        let configuration = try parse(example, environment: ["TEAMS_URL": "https://x.logic.azure.com/w"])
        let table = RouteTable(routes: configuration.routes)
        func channels(_ trigger: String, path: [String]) -> [String] {
            table.match(.init(trigger: trigger, entityType: "IO", folderPath: path, securityTag: "open", title: "t")).map(\.channel)
        }
        #expect(channels("FULL_TEXT_INDEXED", path: ["ROOT", "F-LETTERS", "SUB"]) == ["curators", "public"])
        #expect(channels("FULL_TEXT_INDEXED", path: ["ROOT", "OTHER"]) == ["public"])
        #expect(channels("INGEST_FAILED", path: []) == ["ops", "curators"])
        #expect(channels("MOVED", path: []) == ["curators"])
        #expect(channels("CHANGE_ASSET_VISIBILITY", path: []) == [])
        #expect(table.match(.init(trigger: "FULL_TEXT_INDEXED", entityType: "SO", folderPath: [], securityTag: "open", title: "t")).isEmpty)
    }

    @Test("security tags and title patterns")
    func tagsAndTitles() {
        let table = RouteTable(routes: [
            RouteSettings(securityTags: ["closed"], channels: ["restricted"]),
            RouteSettings(titlePattern: "^Minutes", channels: ["board"]),
            RouteSettings(channels: ["everything"]),
        ])
        func channels(_ tag: String, _ title: String) -> [String] {
            table.match(.init(trigger: "FULL_TEXT_INDEXED", entityType: "IO", folderPath: [], securityTag: tag, title: title)).map(\.channel)
        }
        #expect(channels("closed", "x") == ["restricted"])
        #expect(channels("open", "Minutes of 1921") == ["board"])
        #expect(channels("open", "Letters") == ["everything"])
        let policy = SecurityTagPolicy(allow: ["open"], deny: ["embargo"], redact: true)
        #expect(policy.decision(for: "open") == .show)
        #expect(policy.decision(for: "closed") == .redact)
        #expect(SecurityTagPolicy(deny: ["closed"]).decision(for: "closed") == .skip)
    }

    @Test("whether a rule could take an event before Preservica is asked: trigger and entity type only")
    func mayTake() {
        let table = RouteTable(routes: [
            RouteSettings(triggers: ["INGEST_FAILED"], channels: ["ops"]),
            RouteSettings(triggers: [], entityTypes: ["SO"], folder: "f-1", securityTags: ["open"], channels: ["folders"]),
        ])
        #expect(table.mayTake(trigger: "INGEST_FAILED", entityType: "IO"))
        #expect(!table.mayTake(trigger: "MOVED", entityType: "IO"))
        #expect(!table.mayTake(trigger: "INGEST_FAILED", entityType: "CO"))
        // The folder and tag conditions need the lookup, so they do not rule the event out.
        #expect(table.mayTake(trigger: "MOVED", entityType: "SO"))
        #expect(!RouteTable(routes: []).mayTake(trigger: "INGEST_FAILED", entityType: "IO"))
    }
}

@Suite("check-config and routes as a process")
struct RoutingCommandTests {
    typealias Refs = SimulatorRepository.SampleRefs

    @Test("check-config reports warnings and OK, or problems and exit 2")
    func checkConfig() async throws {
        let relay = try RelayHarness()
        try """
        { webhook: { secrets: ["s"] }, channels: { old: { type: "teams-connector", url: "https://x.webhook.office.com/webhookb2/a" },
          ops: { type: "slack", url: "https://hooks.slack.com/services/a" } },
          routes: [ { triggers: ["failed"], channels: ["ops"] } ] }
        """.write(toFile: relay.directory + "/good.json5", atomically: true, encoding: .utf8)
        let good = try RelayProcess(["check-config", "--config", "good.json5"], directory: relay.directory)
        #expect(try await good.exitCode() == 0)
        #expect(good.stdout.contains("warning: channels.old.url: Office 365 connectors"))
        #expect(good.stdout.contains("warning: channels.old: no route sends anything to this channel"))
        #expect(good.stdout.contains("OK (2 channel(s), 1 route(s)"))
        #expect(!good.stdout.contains("hooks.slack.com/services/a"))

        try #"{ webhook: { secrets: ["s"] }, routes: [ { channels: ["ghost"] } ] }"#
            .write(toFile: relay.directory + "/bad.json5", atomically: true, encoding: .utf8)
        let bad = try RelayProcess(["check-config", "--config", "bad.json5"], directory: relay.directory)
        #expect(try await bad.exitCode() == 2)
        #expect(bad.stderr.contains("bad.json5: routes[0].channels[0]: no channel named \"ghost\""))
    }

    @Test("routes shows where a real asset would go and why")
    func routes() async throws {
        let simulator = PreservicaSimulator(configuration: SimulatorConfiguration(password: "pw"))
        try simulator.start()
        let relay = try RelayHarness()
        try """
        { webhook: { secrets: ["s"] },
          preservica: { server: "\(simulator.baseURL)", username: "admin", password: "pw" },
          channels: { letters: { type: "slack", url: "https://hooks.slack.com/services/a" },
                      public: { type: "discord", url: "https://discord.com/api/webhooks/1/x", securityTags: { allow: ["open"] } } },
          routes: [ { folder: "\(Refs.letters)", channels: ["letters"], continue: true }, { channels: ["public"] } ] }
        """.write(toFile: relay.directory + "/relay.json5", atomically: true, encoding: .utf8)
        let letter = try RelayProcess(["routes", "--ref", Refs.letterAsset, "--config", "relay.json5"], directory: relay.directory)
        #expect(try await letter.exitCode() == 0, "\(letter.stderr)")
        #expect(letter.stdout.contains("-> letters (slack, hooks.slack.com) by routes[0]"))
        #expect(letter.stdout.contains("-> public (discord, discord.com) by routes[1]"))
        let closed = try RelayProcess(["routes", "--ref", Refs.closedAsset, "--config", "relay.json5"], directory: relay.directory)
        #expect(try await closed.exitCode() == 0)
        #expect(closed.stdout.contains("skipped: security tag closed is not allowed here"))

        // Channels curators made in the console are routed too, before the file's routes.
        var mine = ConsoleChannel(name: "curators", type: "slack", url: Secret("https://hooks.slack.com/services/c"),
                                  triggers: ["FULL_TEXT_INDEXED"], owner: "curator")
        mine.folder = Refs.letters
        try ConsoleChannelFile(dataDirectory: relay.directory + "/data").write([mine])
        try (try String(contentsOfFile: relay.directory + "/relay.json5", encoding: .utf8))
            .replacingOccurrences(of: "{ webhook:", with: "{ dataDir: \"\(relay.directory)/data\", webhook:")
            .write(toFile: relay.directory + "/relay.json5", atomically: true, encoding: .utf8)
        let console = try RelayProcess(["routes", "--ref", Refs.letterAsset, "--config", "relay.json5"], directory: relay.directory)
        #expect(try await console.exitCode() == 0, "\(console.stderr)")
        #expect(console.stdout.contains("-> curators (slack, hooks.slack.com) by its console route"), "\(console.stdout)")
        #expect(console.stdout.contains("-> letters (slack, hooks.slack.com) by routes[0]"), "\(console.stdout)")
        await simulator.stop()
    }

    /// A console channel gets only assets whose folders its curators may see
    /// (`console.browseSecurityTags`): `routes` must say what the running relay does.
    @Test("routes skips a console channel for an open asset in a closed folder, naming the folder's tag, as the relay does")
    func routesHonourFolderTags() async throws {
        var configuration = SimulatorConfiguration(password: "pw")
        let openInClosed = "6f1d2c3b-4a59-4e68-9d7c-0b1a2c3d4e5f"
        configuration.repository.assets.append(SimulatedAsset(ref: openInClosed, title: "Staff newsletter", securityTag: "open",
                                                              parent: Refs.restricted, representations: []))
        let simulator = PreservicaSimulator(configuration: configuration)
        try simulator.start()
        let relay = try RelayHarness()
        var mine = ConsoleChannel(name: "curators", type: "slack", url: Secret("https://hooks.slack.com/services/c"),
                                  triggers: ["FULL_TEXT_INDEXED"], owner: "curator")
        mine.folder = nil
        try ConsoleChannelFile(dataDirectory: relay.directory + "/data").write([mine])
        try """
        { dataDir: "\(relay.directory)/data", webhook: { secrets: ["s"] },
          preservica: { server: "\(simulator.baseURL)", username: "admin", password: "pw" } }
        """.write(toFile: relay.directory + "/relay.json5", atomically: true, encoding: .utf8)
        let routed = try RelayProcess(["routes", "--ref", openInClosed, "--config", "relay.json5"], directory: relay.directory)
        #expect(try await routed.exitCode() == 0, "\(routed.stderr)")
        #expect(routed.stdout.contains("-> curators (slack, hooks.slack.com) by its console route (skipped: security tag of a folder above it (closed) is not allowed here)"),
                "\(routed.stdout)")
        await simulator.stop()
    }
}
