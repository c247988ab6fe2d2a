import Foundation
import Testing

@Suite("check-config reads the console's channels")
struct ConsoleCheckConfigTests {
    @Test("a good console file is counted, a clash is warned about, a damaged one fails with its field")
    func consoleFile() async throws {
        let relay = try RelayHarness()
        let data = relay.directory + "/data"
        try FileManager.default.createDirectory(atPath: data + "/console", withIntermediateDirectories: true)
        try """
        { webhook: { secrets: ["s"] }, dataDir: "\(data)",
          channels: { ops: { type: "slack", url: "https://hooks.slack.com/services/a" } }, routes: [ { channels: ["ops"] } ] }
        """.write(toFile: relay.directory + "/relay.json5", atomically: true, encoding: .utf8)
        let channel = #"{"name":"%@","type":"teams","url":"https://x.logic.azure.com/workflows/key-123","triggers":["INGEST_FAILED"],"owner":"cora","version":2}"#
        try #"{"format":1,"channels":[\#(channel.replacingOccurrences(of: "%@", with: "letters")),\#(channel.replacingOccurrences(of: "%@", with: "ops"))]}"#
            .write(toFile: data + "/console/channels.json", atomically: true, encoding: .utf8)
        let good = try RelayProcess(["check-config", "--config", "relay.json5"], directory: relay.directory)
        #expect(try await good.exitCode() == 0)
        #expect(good.stdout.contains("2 console channel(s)"))
        #expect(good.stdout.contains("console channel \"ops\" skipped"))
        #expect(!good.stdout.contains("key-123"), "the URL is never printed")

        try #"{"format":1,"channels":[{"name":"letters","type":"teams","triggers":["INGEST_FAILED"],"owner":"cora"}]}"#
            .write(toFile: data + "/console/channels.json", atomically: true, encoding: .utf8)
        let bad = try RelayProcess(["check-config", "--config", "relay.json5"], directory: relay.directory)
        #expect(try await bad.exitCode() == 1)
        #expect(bad.stdout.contains("channels.json: channels[0].url: required"))
    }
}
