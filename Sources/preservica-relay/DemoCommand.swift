import Console
import Foundation
import JSON
import Preservica
import PreservicaSimulator
import Relay

/// `preservica-relay demo`: the whole pipeline on loopback. The built-in Preservica simulator
/// subscribes the relay (real handshakes) and sends signed, chunked notifications for a small
/// story; the relay spools, enriches, routes, renders and posts Teams cards to a chat sink standing
/// in for a Teams Workflows webhook. Each card is printed as it arrives and saved as JSON and HTML.
enum DemoCommand {
    typealias Refs = SimulatorRepository.SampleRefs

    static func run(_ arguments: [String]) async -> ExitCode {
        // Each line as it happens, also when piped to a file or another program.
        LineBufferedOutput.enable()
        var options = CommandArguments(arguments)
        if options.flag("help") { return Usage.printHelp("demo") }
        let keepRunning = options.flag("keep-running")
        let keep = options.flag("keep")
        do throws(UsageError) { try options.finish() } catch {
            Console.error(error.message)
            return .usage
        }

        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("preservica-relay-demo-\(UUID().uuidString.prefix(8))").path
        let cards = directory + "/cards"
        let secret = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        let simulator = PreservicaSimulator(configuration: SimulatorConfiguration())
        let sink = ChatSink()
        let credentials: PreservicaCredentials
        let service: RelayService
        let port: Int
        do {
            try simulator.start()
            try sink.start()
            try FileManager.default.createDirectory(atPath: cards, withIntermediateDirectories: true)
            credentials = PreservicaCredentials(server: simulator.baseURL, username: simulator.configuration.username,
                                                password: simulator.configuration.password, tenant: simulator.configuration.tenant)
            var configuration = RelayConfiguration(listenPort: 0, dataDirectory: directory + "/data", webhookSecrets: [Secret(secret)])
            configuration.preservica = PreservicaSettings(credentials: credentials, timeout: .seconds(10))
            configuration.channels = [ChannelSettings(name: "curators", type: .teams, url: Secret(sink.teamsWorkflowURL(name: "curators")),
                                                      digest: DigestSettings(window: .seconds(2), threshold: 10, maxItems: 8))]
            // Failures and moves can concern a folder (a deposit package) as well as an asset.
            configuration.routes = [RouteSettings(triggers: ["INGEST_FAILED", "MOVED"], entityTypes: ["IO", "SO"], channels: ["curators"]),
                                    RouteSettings(channels: ["curators"])]
            configuration.display = DisplaySettings(identifiers: ["code"])
            if keepRunning {
                // Plain HTTP on loopback: the cookie cannot be Secure here.
                configuration.console.enabled = true
                configuration.console.allowInsecureHTTP = true
                // The demo's chat sink listens on loopback.
                configuration.console.allowPrivateChannelURLs = true
            }
            let logger = Logger(minimumLevel: .error)
            service = try RelayService(configuration: configuration, logger: logger)
            if keepRunning { try service.mountConsole(ConsoleApp(service: service, logger: logger)) }
            port = try service.start()
        } catch {
            Console.error("cannot start the demo: \(error)")
            return .failure
        }
        let webhook = "http://127.0.0.1:\(port)/webhook"
        print("Preservica simulator: \(simulator.baseURL)   Teams stand-in: \(sink.baseURL)   relay: \(webhook)")
        print("Cards are saved in \(cards)" + (keep ? "" : " (removed at the end; --keep keeps them)"))
        var demo = DemoRun()
        let printer = CardPrinter(sink: sink, directory: cards)
        let printing = Task { await printer.run() }

        await demo.step("subscribe the relay to ingests, failures and moves (three handshakes)") {
            let client = SubscriptionClient(connection: try PreservicaConnection(credentials: credentials))
            for trigger in [TriggerType.ingested, .ingestFailed, .moved] {
                _ = try await client.create(url: webhook, trigger: trigger, secret: secret)
            }
            return (simulator.subscriptions.count == 3, "\(simulator.subscriptions.count) subscriptions")
        }
        let singles = [Refs.letterAsset, Refs.albumAsset, Refs.tokyoMapAsset]
        await demo.step("ingest one asset, one with 28 bitstreams, one with a non-ASCII title") {
            let statuses = try await simulator.notify(trigger: "FULL_TEXT_INDEXED", refs: singles, eventsPerPost: 1)
            let arrived = await sink.waitForMessages(count: 3, timeout: .seconds(15)) { $0.isDelivered }
            return (statuses == [200, 200, 200] && arrived.count == 3,
                    "signed, chunked POSTs answered \(statuses.map(String.init).joined(separator: ", ")); \(arrived.count) cards after the 2 s digest window")
        }
        let bulk = (1...50).map { String(format: "b0000000-0000-4000-8000-%012d", $0) }
        await demo.step("a bulk ingest of 50 assets") {
            for (index, ref) in bulk.enumerated() {
                simulator.add(SimulatedAsset(ref: ref, title: String(format: "Survey map sheet %02d", index + 1), parent: Refs.maps))
            }
            let statuses = try await simulator.notify(trigger: "FULL_TEXT_INDEXED", refs: bulk, eventsPerPost: 10)
            let arrived = await sink.waitForMessages(count: 4, timeout: .seconds(15)) { $0.isDelivered }
            return (statuses.allSatisfy { $0 == 200 } && arrived.count == 4,
                    "\(statuses.count) POSTs of 10 events, all answered 200; folded into one digest card")
        }
        await demo.step("an ingest failure, a failed deposit package (a folder) and a move") {
            let failed = try await simulator.notify(trigger: "INGEST_FAILED", refs: [Refs.minutesAsset])
            let package = try await simulator.notify(trigger: "INGEST_FAILED", refs: [Refs.bjornsonPapers])
            let moved = try await simulator.notify(trigger: "MOVED", refs: [Refs.closedAsset])
            return (failed == [200] && package == [200] && moved == [200], "all three answered 200")
        }
        simulator.setFaults(SimulatorFaults(badSignature: true))
        await demo.step("a notification with a forged signature") {
            let statuses = try await simulator.notify(trigger: "FULL_TEXT_INDEXED", refs: [Refs.physicalAsset])
            return (statuses == [401], "refused with \(statuses.map(String.init).joined())")
        }
        simulator.setFaults(.none)

        // 3 single cards + 1 digest for the bulk + 2 failure cards (asset, folder) + 1 move card.
        let expected = 7
        await demo.step("cards in Teams") {
            let arrived = await sink.waitForMessages(count: expected, timeout: .seconds(20)) { $0.isDelivered }
            try await Task.sleep(for: .milliseconds(300))
            let texts = arrived.map { String(decoding: $0.body, as: UTF8.self) }
            var missing: [String] = []
            for (label, needle) in [("the letter", "Bjørnson: brev til Åse, 1884"), ("the album", "Photograph album, 1890–1910"),
                                    ("the map", "東京の地図"), ("the bulk digest", "50"), ("the failure", "Minutes of the Board"),
                                    ("the folder failure", "Bjørnson family papers"),
                                    ("the move", "Personnel file")] where !texts.contains(where: { $0.contains(needle) }) {
                missing.append(label)
            }
            let detail = missing.isEmpty ? "\(arrived.count) cards, as expected (the 50 bulk assets as one digest)"
                : "missing: \(missing.joined(separator: ", "))"
            return (missing.isEmpty && arrived.count == expected && sink.received.count == expected, detail)
        }
        await printer.finish()
        printing.cancel()

        if keepRunning && demo.failures == 0 {
            let signals = ProcessSignals.stream()
            let curator = simulator.configuration.users.first { $0.username == "curator" } ?? SimulatedUser.defaults()[0]
            print("""

            Still running. Send more with:
              preservica-relay simulate send --url \(webhook) --secret \(secret) --ref \(Refs.minutesAsset)
            Status page http://127.0.0.1:\(port)/   metrics http://127.0.0.1:\(port)/metrics
            Preservica simulator \(simulator.baseURL) (user \(simulator.configuration.username), password \(simulator.configuration.password))
            Curators' console http://127.0.0.1:\(port)/console/
              sign in as \(curator.username) / \(curator.password) (tenant \(simulator.configuration.tenant)); \
            "reader" with the same password has no permitted role
              a Teams Workflows URL to paste for a new channel: \(sink.teamsWorkflowURL(name: "console"))
            Press Ctrl-C to stop.
            """)
            let followUp = Task { await printer.run() }
            for await signal in signals where signal != "SIGHUP" { break }
            followUp.cancel()
        }
        await service.stop(gracePeriod: .seconds(2))
        await sink.stop()
        await simulator.stop()
        if keep {
            print("Kept \(directory): the cards, and the relay's spool under data/.")
        } else {
            try? FileManager.default.removeItem(atPath: directory)
        }
        if demo.failures == 0 {
            print("Demo finished: every step went as expected.")
            return .success
        }
        print("Demo finished with \(demo.failures) unexpected result(s).")
        return .failure
    }
}

/// Prints each card as it arrives at the sink, and saves it as JSON and as HTML.
actor CardPrinter {
    private let sink: ChatSink
    private let directory: String
    private var printed = 0

    init(sink: ChatSink, directory: String) {
        self.sink = sink
        self.directory = directory
    }

    func run() async {
        while !Task.isCancelled {
            printNew()
            try? await Task.sleep(for: .milliseconds(100))
        }
    }

    func finish() { printNew() }

    private func printNew() {
        let messages = sink.received
        while printed < messages.count {
            let message = messages[printed]
            printed += 1
            let card = message.json?.objectValue?["attachments"]?.arrayValue?.first?.objectValue?["content"] ?? .null
            let base = directory + "/card-\(printed)"
            try? JSONWriter.pretty(card).write(toFile: base + ".json", atomically: true, encoding: .utf8)
            try? CardHTML.page(card, title: "Card \(printed)").write(toFile: base + ".html", atomically: true, encoding: .utf8)
            print("     card \(printed): HTTP \(message.status), \(message.body.count) bytes, \(Self.summary(card))")
            print("             \(base).json  \(base).html")
        }
    }

    /// The first two lines of text on the card.
    private static func summary(_ card: JSONValue) -> String {
        var texts: [String] = []
        func collect(_ value: JSONValue) {
            guard texts.count < 2 else { return }
            switch value {
            case .object(let object):
                if object["type"] == .string("TextBlock"), let text = object["text"]?.stringValue {
                    // As a reader sees it: Teams' DATE()/TIME() written out, no Markdown stars.
                    texts.append(CardClock().localise(text).replacingOccurrences(of: "**", with: ""))
                }
                for (_, member) in object { collect(member) }
            case .array(let items): items.forEach(collect)
            default: break
            }
        }
        collect(card.objectValue?["body"] ?? .null)
        return texts.map { $0.count > 70 ? String($0.prefix(69)) + "…" : $0 }.joined(separator: " | ")
    }
}

/// Prints one line per demo step and counts the ones that went wrong.
struct DemoRun {
    private(set) var failures = 0

    mutating func step(_ name: String, _ body: () async throws -> (Bool, String)) async {
        do {
            let (ok, detail) = try await body()
            if !ok { failures += 1 }
            print("\(ok ? "ok  " : "FAIL") \(name): \(detail)")
        } catch {
            failures += 1
            print("FAIL \(name): \(error)")
        }
    }
}
