import Foundation
import Testing
import Relay
import JSON
import Preservica
import PreservicaSimulator
import TestSupport

/// The spool as one boundary: private permissions whatever the umask, and a file that cannot be
/// read is moved aside instead of being skipped forever.
@Suite("Spool files")
struct SpoolBoundaryTests {
    typealias Refs = SimulatorRepository.SampleRefs

    /// Every file and directory under `root` (not `root` itself) with its permission bits.
    private func modes(under root: String) -> [(String, Int, Bool)] {
        guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
        var found: [(String, Int, Bool)] = []
        while let relative = walker.nextObject() as? String {
            var info = stat()
            guard lstat(root + "/" + relative, &info) == 0 else { continue }
            found.append((relative, Int(info.st_mode) & 0o777, (info.st_mode & S_IFMT) == S_IFDIR))
        }
        return found
    }

    @Test("a truncated job file moves to corrupt/, is audited, and the channel goes on; every spool file is private")
    func truncatedJobAndPermissions() async throws {
        let fixture = try await PipelineFixture(
            channels: { [ChannelSettings(name: "chat", type: .teams, url: Secret($0.teamsWorkflowURL()))] },
            routes: [RouteSettings(channels: ["chat"])])
        let data = fixture.relay.configuration.dataDirectory
        try FileManager.default.createDirectory(atPath: data + "/outbox/chat", withIntermediateDirectories: true)
        // Sorts before every real job, so the deliverer meets it first.
        try Data("{\"id\": \"000000000000-0000-chat\", \"payl".utf8).write(to: URL(fileURLWithPath: data + "/outbox/chat/000000000000-0000.json"))
        try await fixture.ingest([Refs.letterAsset])
        let messages = await fixture.sink.waitForMessages(count: 1, timeout: .seconds(60))
        #expect(messages.count == 1)
        #expect(FileManager.default.fileExists(atPath: data + "/corrupt/outbox_chat_000000000000-0000.json"))
        #expect(!FileManager.default.fileExists(atPath: data + "/outbox/chat/000000000000-0000.json"))
        #expect(fixture.audit.contains("\"step\":\"corrupt\""))
        // Counted where alerts look. A scrape itself moves nothing: a damaged job of a channel no
        // deliverer runs (no longer configured) stays where it is, for the log and the count to
        // tell when a deliverer meets it.
        try FileManager.default.createDirectory(atPath: data + "/outbox/gone", withIntermediateDirectories: true)
        try Data("{\"id\": \"000000000001-0000-gone\", \"payl".utf8).write(to: URL(fileURLWithPath: data + "/outbox/gone/000000000001-0000.json"))
        let client = try fixture.relay.client()
        try await client.send("GET /metrics HTTP/1.1\r\nHost: relay\r\n\r\n")
        let metrics = try await client.readResponse().bodyText
        #expect(metrics.contains("# TYPE preservica_relay_corrupt_files_total counter"))
        #expect(metrics.contains("preservica_relay_corrupt_files_total{channel=\"chat\"} 1"), "\(metrics)")
        #expect(FileManager.default.fileExists(atPath: data + "/outbox/gone/000000000001-0000.json"))
        try FileManager.default.removeItem(atPath: data + "/outbox/gone")
        await fixture.stop()
        let entries = modes(under: data).filter { !$0.0.hasSuffix(".probe") }
        #expect(!entries.isEmpty)
        for (path, mode, isDirectory) in entries where !(path == "outbox" || path == "outbox/chat" || path.hasPrefix("corrupt/")) {
            // The test made outbox/chat itself, with the process umask; everything the relay made is private.
            #expect(mode & 0o077 == 0, "\(path) is \(String(mode, radix: 8))\(isDirectory ? " (directory)" : "")")
        }
    }

    /// Only a shortage of descriptors (EMFILE, ENFILE) or memory means "try again later"; a job
    /// that cannot be read for any other reason (here a directory in its place) is moved aside as
    /// a damaged one, or it would hold its channel for ever.
    @Test("a job that cannot be read for good is moved to corrupt/, and the next one is taken")
    func unreadableJobMovedAside() throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("relay-unreadable-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: data) }
        try FileManager.default.createDirectory(atPath: data + "/outbox/chat/000000000000-0000.json", withIntermediateDirectories: true)
        var corrupt: [String] = []
        var unavailable: [String] = []
        #expect(Outbox(dataDirectory: data).oldest(channel: "chat", onCorrupt: { corrupt.append($0) }, onUnavailable: { unavailable.append($0) }) == nil)
        #expect(corrupt.count == 1 && unavailable.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: data + "/outbox/chat/000000000000-0000.json"))
        if case .unavailable = SpoolFiles.read(data + "/corrupt") { Issue.record("a directory read as a passing shortage") }
    }

    /// Taking an unreadable cursor as 0 would plan, and post, everything the journal holds again.
    @Test("serve does not start from a cursor file it cannot read, and says why", arguments: ["directory", "no number"])
    func unreadableCursor(kind: String) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("relay-cursor-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory + "/data/incoming", withIntermediateDirectories: true)
        if kind == "directory" {
            try FileManager.default.createDirectory(atPath: directory + "/data/incoming/cursor", withIntermediateDirectories: true)
        } else {
            try "twelve\n".write(toFile: directory + "/data/incoming/cursor", atomically: true, encoding: .utf8)
        }
        try #"{ listen: "127.0.0.1:0", dataDir: "data", webhook: { secrets: ["s"] } }"#.write(toFile: directory + "/relay.json5", atomically: true, encoding: .utf8)
        let relay = try RelayProcess(["serve", "--config", "relay.json5"], directory: directory)
        #expect(try await relay.exitCode() == 1, "\(relay.stderr)")
        #expect(relay.stderr.contains("incoming/cursor"), "\(relay.stderr)")
        if kind == "no number" {
            // The way back that posts nothing twice comes first.
            #expect(relay.stderr.contains("routed") && relay.stderr.contains("line in audit.log"), "\(relay.stderr)")
        }
    }

    @Test("a move to or from dead/ cut short by a kill is finished: a bury keeps the dead copy, a replay the queued one")
    func movesFinished() throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("moves-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: data) }
        let outbox = Outbox(dataDirectory: data)
        func job(_ sequence: Int) -> DeliveryJob {
            var job = DeliveryJob.test(sequence, channel: "chat", attempts: 3)
            job.lastReply = "HTTP 404"
            return job
        }
        // Killed while burying 1: written to dead/, not yet removed from the outbox.
        try outbox.bury(job(1))
        try outbox.save(job(1))
        // Killed while replaying 2: put back in the outbox, not yet removed from dead/.
        try outbox.bury(job(2))
        let deadPath = data + "/dead/chat/" + job(2).name
        let deadBytes = try Data(contentsOf: URL(fileURLWithPath: deadPath))
        let dead2 = try #require(outbox.deadJobs().first { $0.name == job(2).name })
        try outbox.replay(dead2, at: Date(timeIntervalSince1970: 1_800_000_000))
        try deadBytes.write(to: URL(fileURLWithPath: deadPath))
        #expect(outbox.pending(channel: "chat").count == 2 && outbox.deadJobs().count == 2)
        let removed = outbox.finishMoves(channel: "chat")
        #expect(Set(removed) == ["outbox/chat/" + job(1).name, "dead/chat/" + job(2).name], "\(removed)")
        #expect(outbox.pending(channel: "chat").map(\.name) == [job(2).name])
        #expect(outbox.deadJobs().map(\.name) == [job(1).name])
        #expect(outbox.finishMoves(channel: "chat").isEmpty)
    }
}
