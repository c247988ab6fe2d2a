import Testing
import Foundation
import Relay
import JSON
import TestSupport

@Suite("preservica-relay serve as a process")
struct ServeProcessTests {
    private let directory: String

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("relay-proc-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    private func writeConfig(_ text: String = #"{ listen: "127.0.0.1:0", dataDir: "data", webhook: { secrets: ["${PRESERVICA_WEBHOOK_SECRET}"] } }"#) throws {
        try text.write(toFile: directory + "/relay.json5", atomically: true, encoding: .utf8)
    }

    private let environment = ["PRESERVICA_WEBHOOK_SECRET": RelayHarness.secret]

    @Test("a bad configuration exits 2 with one line per problem and its JSON path")
    func badConfig() async throws {
        try writeConfig(#"{ listen: "nowhere", webhook: { secrets: ["${UNSET_SECRET_VAR}"] }, extra: 1 }"#)
        let relay = try RelayProcess(["serve", "--config", "relay.json5"], directory: directory)
        #expect(try await relay.exitCode() == 2)
        let lines = relay.stderr.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines.contains { $0.contains("relay.json5: listen: expected host:port") })
        #expect(lines.contains { $0.contains("relay.json5: webhook.secrets[0]: environment variable UNSET_SECRET_VAR is not set") })
        #expect(lines.contains { $0.contains("relay.json5: extra: unknown key") })
    }

    @Test("an unknown command or option exits 2")
    func usage() async throws {
        let unknown = try RelayProcess(["frobnicate"], directory: directory)
        #expect(try await unknown.exitCode() == 2)
        let badOption = try RelayProcess(["serve", "--colour"], directory: directory)
        #expect(try await badOption.exitCode() == 2)
    }

    @Test("--log-format json writes one JSON object per line")
    func jsonLogs() async throws {
        try writeConfig()
        let relay = try RelayProcess(["serve", "--config", "relay.json5", "--log-format", "json"], environment: environment, directory: directory)
        var line: String?
        _ = await eventually {
            line = relay.stderr.split(separator: "\n").first { $0.contains("\"msg\":\"listening\"") }.map(String.init)
            return line != nil
        }
        let object = try JSONParser.parse(try #require(line)).objectValue
        #expect(object?["level"] == .string("info"))
        #expect(object?["address"]?.stringValue?.hasPrefix("127.0.0.1:") == true)
        relay.send(SIGTERM)
        #expect(try await relay.exitCode() == 0)
    }

    @Test("SIGHUP reloads the configuration; a bad one is refused and the old one stays")
    func reload() async throws {
        try writeConfig(#"{ listen: "127.0.0.1:0", dataDir: "data", webhook: { secrets: ["old-secret"] } }"#)
        let relay = try RelayProcess(["serve", "--config", "relay.json5"], directory: directory)
        let client = try RawHTTPClient(port: try await relay.listeningPort())
        try await client.send(RelayHarness.signedRequest(RelayHarness.notification(), secret: "new-secret"))
        #expect(try await client.readResponse().status == 401)

        try writeConfig(#"{ listen: "127.0.0.1:0", dataDir: "data", webhook: { secrets: ["new-secret", "old-secret"] } }"#)
        relay.send(SIGHUP)
        try await waitFor("msg=\"configuration reloaded\"", in: relay)
        try await client.send(RelayHarness.signedRequest(RelayHarness.notification(), secret: "new-secret"))
        #expect(try await client.readResponse().status == 200)
        try await client.send("POST /webhook?challengeCode=abc HTTP/1.1\r\nHost: relay\r\n\r\n")
        #expect(try await client.readResponse().json["challengeResponse"] as? String == HMACHex.of(key: "new-secret", message: "abc"))

        try writeConfig(#"{ webhook: { secrets: [] } }"#)
        relay.send(SIGHUP)
        try await waitFor("configuration not reloaded", in: relay)
        try await client.send(RelayHarness.signedRequest(RelayHarness.notification(), secret: "old-secret"))
        #expect(try await client.readResponse().status == 200)
        relay.send(SIGTERM)
        #expect(try await relay.exitCode() == 0)
    }

    /// pyPreservica's setups keep the credentials in `credentials.properties` alone: the file moved
    /// away or made unreadable at a reload would have turned enrichment off in silence (every
    /// channel with an allow list, each console channel, then skipping every event for good).
    @Test("SIGHUP after credentials.properties went away keeps the Preservica credentials in force, and says to restart to run without")
    func reloadWithoutCredentialsFile() async throws {
        try "[credentials]\nusername=admin\npassword=pw\nserver=http://127.0.0.1:9\n"
            .write(toFile: directory + "/credentials.properties", atomically: true, encoding: .utf8)
        try writeConfig(#"{ listen: "127.0.0.1:0", dataDir: "data", webhook: { secrets: ["s"] } }"#)
        let relay = try RelayProcess(["serve", "--config", "relay.json5"], directory: directory)
        _ = try await relay.listeningPort()
        try FileManager.default.removeItem(atPath: directory + "/credentials.properties")
        relay.send(SIGHUP)
        try await waitFor("configuration not reloaded", in: relay)
        #expect(relay.stderr.contains("restart the relay to run without them"))
        #expect(!relay.stderr.contains("msg=\"configuration reloaded\""))
        relay.send(SIGTERM)
        #expect(try await relay.exitCode() == 0)
    }

    private func waitFor(_ text: String, in relay: RelayProcess) async throws {
        if await eventually({ relay.stderr.contains(text) }) { return }
        Issue.record("never logged \(text): \(relay.stderr)")
    }

    @Test("SIGTERM stops it cleanly with exit 0")
    func sigterm() async throws {
        try writeConfig()
        let relay = try RelayProcess(["serve", "--config", "relay.json5"], environment: environment, directory: directory)
        let port = try await relay.listeningPort()
        let client = try RawHTTPClient(port: port)
        try await client.send("GET /healthz HTTP/1.1\r\nHost: relay\r\n\r\n")
        #expect(try await client.readResponse().status == 200)
        relay.send(SIGTERM)
        #expect(try await relay.exitCode() == 0)
        #expect(relay.stderr.contains("msg=stopping signal=SIGTERM"))
        #expect(!relay.stderr.contains(RelayHarness.secret))
    }

    /// The configuration comes through a named pipe, so the test knows the relay is starting (it
    /// has the pipe open and waits for its text) and can send SIGTERM before it says it is listening.
    @Test("a SIGTERM sent while it is starting stops it cleanly once it has started")
    func sigtermWhileStarting() async throws {
        let relay = try await startThroughPipe { relay in relay.send(SIGTERM) }
        #expect(try await relay.exitCode() == 0, "\(relay.stderr)")
        #expect(relay.stderr.contains("msg=listening"))
        #expect(relay.stderr.contains("msg=stopping signal=SIGTERM"))
    }

    @Test("SIGHUP with the configuration in a named pipe nobody writes to again is refused at once, and SIGTERM still stops it")
    func reloadFromAnEmptyPipe() async throws {
        let relay = try await startThroughPipe { _ in }
        _ = try await relay.listeningPort()
        relay.send(SIGHUP)
        try await waitFor("configuration not reloaded", in: relay)
        relay.send(SIGTERM)
        #expect(try await relay.exitCode() == 0, "\(relay.stderr)")
    }

    /// Starts `serve` with its configuration in a named pipe: once the relay has the pipe open,
    /// `whileReading` runs, then the configuration is written and the pipe closed.
    private func startThroughPipe(whileReading: (RelayProcess) -> Void) async throws -> RelayProcess {
        let path = directory + "/relay.json5"
        #expect(mkfifo(path, 0o600) == 0)
        // Opened for reading and writing, so the pipe has a writer before the relay opens it.
        let writer = open(path, O_RDWR | O_CLOEXEC)
        try #require(writer >= 0)
        let relay = try RelayProcess(["serve", "--config", "relay.json5"], environment: environment, directory: directory)
        let fds = "/proc/\(relay.process.processIdentifier)/fd"
        let opened = await eventually {
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: fds)) ?? []
            return entries.contains { (try? FileManager.default.destinationOfSymbolicLink(atPath: fds + "/" + $0)) == path }
        }
        try #require(opened, "the relay never opened its configuration: \(relay.stderr)")
        whileReading(relay)
        let config = Array(#"{ listen: "127.0.0.1:0", dataDir: "data", webhook: { secrets: ["${PRESERVICA_WEBHOOK_SECRET}"] } }"#.utf8)
        #expect(config.withUnsafeBytes { write(writer, $0.baseAddress, $0.count) } == config.count)
        close(writer)
        return relay
    }

    /// Two relays on one data directory would write the next journal record at the same place.
    @Test("a second relay on the same data directory is refused at start, and the first goes on")
    func dataDirectoryLocked() async throws {
        try writeConfig()
        let first = try RelayProcess(["serve", "--config", "relay.json5"], environment: environment, directory: directory)
        let port = try await first.listeningPort()
        let second = try RelayProcess(["serve", "--config", "relay.json5"], environment: environment, directory: directory)
        #expect(try await second.exitCode() == 1)
        #expect(second.stderr.contains("another relay is using"), "\(second.stderr)")
        let client = try RawHTTPClient(port: port)
        try await client.send(RelayHarness.signedRequest(RelayHarness.notification()))
        #expect(try await client.readResponse().status == 200)
        first.send(SIGTERM)
        #expect(try await first.exitCode() == 0)
        // Stopped, it lets the next one take the directory.
        let third = try RelayProcess(["serve", "--config", "relay.json5"], environment: environment, directory: directory)
        _ = try await third.listeningPort()
        third.send(SIGTERM)
        #expect(try await third.exitCode() == 0)
    }

    @Test("an acknowledged notification survives kill -9, `queue` reads the spool, and the restart recognises it")
    func crash() async throws {
        try writeConfig()
        let relay = try RelayProcess(["serve", "--config", "relay.json5"], environment: environment, directory: directory)
        let client = try RawHTTPClient(port: try await relay.listeningPort())
        let request = RelayHarness.signedRequest(RelayHarness.notification())
        try await client.send(request)
        #expect(try await client.readResponse().status == 200)
        relay.send(SIGKILL)
        _ = try await relay.exitCode()

        #expect(IncomingJournal.readRecords(directory: directory + "/data/incoming").count == 1)
        let queue = try RelayProcess(["queue", "--config", "relay.json5"], environment: environment, directory: directory)
        #expect(try await queue.exitCode() == 0)
        #expect(queue.stdout.split(separator: "\n").map { $0.split(separator: " ").first ?? "" } == ["incoming", "outbox", "dead", "refused"])

        let restarted = try RelayProcess(["serve", "--config", "relay.json5"], environment: environment, directory: directory)
        let again = try RawHTTPClient(port: try await restarted.listeningPort())
        try await again.send(request)
        #expect(try await again.readResponse().json["duplicate"] as? Bool == true)
        restarted.send(SIGTERM)
        #expect(try await restarted.exitCode() == 0)
    }

    @Test("when the spool cannot be written: 503, /readyz 503, and both recover when space returns")
    func unwritableSpool() async throws {
        try writeConfig()
        let relay = try RelayProcess(["serve", "--config", "relay.json5"], environment: environment, directory: directory)
        let client = try RawHTTPClient(port: try await relay.listeningPort())
        try await client.send(RelayHarness.signedRequest(RelayHarness.notification()))
        #expect(try await client.readResponse().status == 200)

        // The kernel's file-size limit makes every further write fail, as a full disk would.
        let journalSize = try FileManager.default.attributesOfItem(atPath: directory + "/data/incoming/journal-000001.log")[.size] as! Int
        try FileSizeLimit.set(pid: relay.process.processIdentifier, bytes: journalSize)
        let refused = RelayHarness.signedRequest(RelayHarness.notification())
        try await client.send(refused)
        let full = try await client.readResponse()
        #expect(full.status == 503)
        #expect(full.headers["retry-after"] != nil)
        try await client.send("GET /readyz HTTP/1.1\r\nHost: relay\r\n\r\n")
        #expect(try await client.readResponse().status == 503)

        try FileSizeLimit.set(pid: relay.process.processIdentifier, bytes: nil)
        let ready = try await eventually {
            try await client.send("GET /readyz HTTP/1.1\r\nHost: relay\r\n\r\n")
            return try await client.readResponse().status == 200
        }
        #expect(ready)
        try await client.send(refused)
        #expect(try await client.readResponse().json["accepted"] as? Int == 1)
        // The refused write's sequence number is spent, never handed out again, and the pipeline
        // takes the notification accepted after recovery.
        #expect(IncomingJournal.readRecords(directory: directory + "/data/incoming").map(\.sequence) == [1, 3])
        var cursor = ""
        _ = await eventually {
            cursor = ((try? String(contentsOfFile: directory + "/data/incoming/cursor", encoding: .utf8)) ?? "")
                .trimmingCharacters(in: .whitespacesAndNewlines)
            return cursor == "3"
        }
        #expect(cursor == "3")
        relay.send(SIGTERM)
        #expect(try await relay.exitCode() == 0)
    }

    @Test("past 1 MiB the journal writes into space it reserved: with the disk full it takes notifications until that is used, then 503, and nothing acknowledged is lost")
    func fullDiskWithReservedSpace() async throws {
        try writeConfig()
        let relay = try RelayProcess(["serve", "--config", "relay.json5"], environment: environment, directory: directory)
        let client = try RawHTTPClient(port: try await relay.listeningPort())
        let journal = directory + "/data/incoming/journal-000001.log"
        // An unknown field pads each notification to about 300 KB.
        func padded() -> String {
            RelayHarness.notification().replacingOccurrences(of: #"{"subscriptionId""#,
                                                             with: #"{"padding":""# + String(repeating: "p", count: 300_000) + #"","subscriptionId""#)
        }
        var accepted = 0
        for _ in 0..<4 {
            try await client.send(RelayHarness.signedRequest(padded()))
            #expect(try await client.readResponse().status == 200)
            accepted += 1
        }
        let size = try #require(try FileManager.default.attributesOfItem(atPath: journal)[.size] as? Int)

        // The kernel's file-size limit at the file's present size: as a full disk, for anything
        // beyond the reserved space.
        try FileSizeLimit.set(pid: relay.process.processIdentifier, bytes: size)
        var statuses: [Int] = []
        while statuses.last != 503 && statuses.count < 20 {
            try await client.send(RelayHarness.signedRequest(padded()))
            statuses.append(try await client.readResponse().status)
        }
        // Without reserved space the first would be refused, as in the test above.
        #expect(statuses.first == 200 && statuses.last == 503, "\(statuses)")
        accepted += statuses.filter { $0 == 200 }.count
        try FileSizeLimit.set(pid: relay.process.processIdentifier, bytes: nil)
        let ready = try await eventually {
            try await client.send("GET /readyz HTTP/1.1\r\nHost: relay\r\n\r\n")
            return try await client.readResponse().status == 200
        }
        #expect(ready)
        try await client.send(RelayHarness.signedRequest(padded()))
        #expect(try await client.readResponse().status == 200)
        accepted += 1
        relay.send(SIGKILL)
        _ = try await relay.exitCode()
        #expect(IncomingJournal.readRecords(directory: directory + "/data/incoming").count == accepted)
    }
}

@Suite("preservica-relay demo")
struct DemoProcessTests {
    @Test("the README's first command runs the pipeline and exits 0")
    func demo() async throws {
        let directory = FileManager.default.temporaryDirectory.path
        let demo = try RelayProcess(["demo"], directory: directory)
        #expect(try await demo.exitCode(timeout: .seconds(60)) == 0, "\(demo.stdout)\(demo.stderr)")
        let saved = demo.stdout.split(separator: "\n").first { $0.hasPrefix("Cards are saved in ") }
        let cards = try #require(saved?.dropFirst("Cards are saved in ".count).split(separator: " ").first)
        #expect(!FileManager.default.fileExists(atPath: String(cards)), "the demo left \(cards) behind")
        #expect(demo.stdout.contains("Bjørnson: brev til Åse, 1884"))
        #expect(demo.stdout.contains("ok   cards in Teams: 7 cards, as expected (the 50 bulk assets as one digest)"))
        #expect(demo.stdout.contains("50 assets ingested into Maps and plans"))
        #expect(demo.stdout.contains("Demo finished: every step went as expected."))
        #expect(!demo.stdout.contains("FAIL"))
    }
}
