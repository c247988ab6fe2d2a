import Foundation
import JSON
import Preservica
import PreservicaSimulator
import Relay

/// `preservica-relay demo`: the pipeline on loopback. The built-in Preservica simulator subscribes
/// the relay (a real handshake), ingests assets and sends signed chunked notifications; the relay
/// spools them, enriches each asset from the simulator, renders the Teams card and posts it to a
/// chat sink standing in for a Teams Workflows webhook. Each card is saved as JSON and as HTML.
enum DemoCommand {
    typealias Refs = SimulatorRepository.SampleRefs

    static func run(_ arguments: [String]) async -> ExitCode {
        var options = CommandArguments(arguments)
        if options.flag("help") { return Usage.printHelp("demo") }
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
            var configuration = RelayConfiguration(listenPort: 0, dataDirectory: directory, webhookSecrets: [Secret(secret)])
            configuration.preservica = PreservicaSettings(credentials: credentials, timeout: .seconds(10))
            configuration.channels = [ChannelSettings(name: "curators", type: "teams", url: Secret(sink.teamsWorkflowURL(name: "curators")))]
            configuration.routes = [RouteSettings(channels: ["curators"])]
            service = try RelayService(configuration: configuration, logger: Logger(minimumLevel: .error))
            port = try service.start()
        } catch {
            Console.error("cannot start the demo: \(error)")
            return .failure
        }
        let webhook = "http://127.0.0.1:\(port)/webhook"
        print("Preservica simulator on \(simulator.baseURL); Teams stand-in on \(sink.baseURL); relay on \(webhook)")
        print("Data dir and cards: \(directory)")
        var demo = DemoRun()

        await demo.step("subscribe the relay to ingests (Preservica's handshake)") {
            let connection = try PreservicaConnection(credentials: credentials)
            let subscription = try await SubscriptionClient(connection: connection).create(url: webhook, trigger: .ingested, secret: secret)
            return (subscription.id.count == 32, "subscription \(subscription.id)")
        }
        let ingested = [Refs.letterAsset, Refs.tokyoMapAsset, Refs.albumAsset]
        await demo.step("Preservica ingests \(ingested.count) assets and notifies the relay") {
            let statuses = try await simulator.notify(trigger: "FULL_TEXT_INDEXED", refs: ingested, eventsPerPost: 1)
            return (statuses == [200, 200, 200], "signed, chunked POSTs answered \(statuses.map(String.init).joined(separator: ", "))")
        }
        for ref in ingested {
            await demo.step("enrich \(ref.prefix(8))…") {
                guard let asset = await enriched(ref, by: service) else { return (false, "not enriched within 15 s") }
                let size = asset.bitstreams.reduce(Int64(0)) { $0 + $1.size }
                return (asset.problems.isEmpty, "\"\(asset.asset?.title ?? "?")\" in \(asset.path.map(\.title).joined(separator: " / ")), "
                    + "\(asset.bitstreams.count) bitstream(s), \(SizeText.format(size))")
            }
        }
        await demo.step("cards posted to Teams") {
            let messages = await sink.waitForMessages(count: ingested.count, timeout: .seconds(15))
            for (index, message) in messages.enumerated() {
                let card = message.json?.objectValue?["attachments"]?.arrayValue?.first?.objectValue?["content"] ?? .null
                let json = cards + "/card-\(index + 1).json"
                let html = cards + "/card-\(index + 1).html"
                try JSONWriter.pretty(card).write(toFile: json, atomically: true, encoding: .utf8)
                try CardHTML.page(card, title: "Card \(index + 1)").write(toFile: html, atomically: true, encoding: .utf8)
                let title = card.objectValue?["body"]?.arrayValue?.compactMap { $0.objectValue?["items"]?.arrayValue?.first?.objectValue?["text"]?.stringValue }.first ?? "?"
                print("     card \(index + 1): HTTP \(message.status), \(message.body.count) bytes, \"\(title)\" → \(html)")
            }
            return (messages.count == ingested.count && messages.allSatisfy(\.isDelivered),
                    "\(messages.count) Adaptive Card(s) accepted (202); JSON and HTML saved next to them")
        }
        await demo.step("an event for an asset Preservica no longer has") {
            _ = try await simulator.notify(trigger: "FULL_TEXT_INDEXED", refs: [Refs.unknown])
            guard let asset = await enriched(Refs.unknown, by: service) else { return (false, "not handled within 15 s") }
            return (asset.notFound, "flagged not found; its card can still go out")
        }
        simulator.setFaults(SimulatorFaults(duplicateNotifications: true))
        await demo.step("the same notification delivered twice") {
            let statuses = try await simulator.notify(trigger: "FULL_TEXT_INDEXED", refs: [Refs.minutesAsset])
            let journal = IncomingJournal.readRecords(directory: directory + "/incoming")
            let copies = journal.filter { String(decoding: $0.body, as: UTF8.self).contains(Refs.minutesAsset) }.count
            return (statuses == [200, 200] && copies == 1, "both answered 200, spooled once")
        }
        simulator.setFaults(SimulatorFaults(badSignature: true))
        await demo.step("a notification with a forged signature") {
            let statuses = try await simulator.notify(trigger: "FULL_TEXT_INDEXED", refs: [Refs.closedAsset])
            return (statuses == [401], "refused with \(statuses.map(String.init).joined())")
        }

        await service.stop(gracePeriod: .seconds(2))
        await sink.stop()
        await simulator.stop()
        if demo.failures == 0 {
            print("Demo finished: every step went as expected.")
            return .success
        }
        print("Demo finished with \(demo.failures) unexpected result(s).")
        return .failure
    }

    private static func enriched(_ ref: String, by service: RelayService) async -> EnrichedAsset? {
        let deadline = ContinuousClock.now + .seconds(15)
        while ContinuousClock.now < deadline {
            if let found = service.worker.recent.first(where: { $0.ref == ref }) { return found }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return nil
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
