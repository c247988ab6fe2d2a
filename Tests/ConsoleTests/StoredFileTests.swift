import Console
import Foundation
import ChatTargets
import Relay
import Testing

extension ConsoleSuite {
    @Suite("Console channel file")
    struct StoredFileTests {
        @Test("channels are stored privately with a format and versions, and come back after a restart")
        func storedFile() async throws {
            var url = ""
            let data = try await withStoredChannel { fixture in
                url = fixture.sink.teamsWorkflowURL(name: "letters")
                let path = fixture.directory + "/data/console/channels.json"
                let attributes = try FileManager.default.attributesOfItem(atPath: path)
                #expect((attributes[.posixPermissions] as? Int) == 0o600)
                let directory = try FileManager.default.attributesOfItem(atPath: fixture.directory + "/data/console")
                #expect((directory[.posixPermissions] as? Int) == 0o700)
                #expect(!FileManager.default.fileExists(atPath: path + ".tmp"))
                let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
                #expect(json["format"] as? Int == 1)
                let channel = try #require((json["channels"] as? [[String: Any]])?.first)
                #expect(channel["version"] as? Int == 1 && channel["owner"] as? String == "curator")
                return fixture.directory + "/data"
            }
            // A new store over the same directory reads it back, URL included.
            let store = ConsoleChannelStore(dataDirectory: data)
            #expect(store.damage == nil)
            #expect(store.channels.first?.url.reveal == url)
            #expect(store.channels.first?.folder == ConsoleFixture.Refs.letters)
            try? FileManager.default.removeItem(atPath: data)
        }

        /// An older relay wrote no `urlByAdministrator`: such a channel is held to public addresses
        /// as a curator's is, and the start says which, so an administrator's private one is found.
        @Test("a channel saved by an older relay is checked like a curator's, and the start names it")
        func olderChannel() async throws {
            try await ConsoleFixture.with(prepare: { data in
                try FileManager.default.createDirectory(atPath: data + "/console", withIntermediateDirectories: true)
                let channel = #"{"name":"old","type":"slack","url":"https://hooks.slack.com/services/T0/B0/x","triggers":["failed"],"owner":"archivist"}"#
                try Data(#"{"format":1,"channels":[\#(channel)]}"#.utf8).write(to: URL(fileURLWithPath: data + "/console/channels.json"))
            }, configure: { $0.console.allowPrivateChannelURLs = false }) { fixture in
                #expect(fixture.service.consoleChannels.channels.first?.urlByAdministrator == nil)
                #expect(fixture.service.configuration.channels.first { $0.name == "old" }?.publicAddressesOnly == true)
                #expect(fixture.log.contains("was saved by an older relay"))
            }
        }

        @Test("a broken console file never stops the relay: it is reported, skipped, and changes are refused")
        func brokenFile() async throws {
            try await ConsoleFixture.with(prepare: { data in
                try FileManager.default.createDirectory(atPath: data + "/console", withIntermediateDirectories: true)
                try Data("{\"format\":1,\"channels\":[{\"name\":\"x\"".utf8).write(to: URL(fileURLWithPath: data + "/console/channels.json"))
            }) { fixture in
                #expect(fixture.service.consoleChannels.damage != nil)
                #expect(fixture.log.contains("console channels skipped"))
                let session = try await fixture.signIn()
                let list = try await fixture.request("GET", "/console/api/channels", session: session)
                #expect(list.status == 200)
                #expect((list.json["problem"] as? String)?.contains("damaged") == true)
                let refused = try await fixture.request("POST", "/console/api/channels", body: fixture.teamsChannel("a"), session: session)
                #expect(refused.status == 503)
                let text = try String(contentsOfFile: fixture.directory + "/data/console/channels.json", encoding: .utf8)
                #expect(text.hasSuffix("\"x\""), "the damaged file is left for an administrator to repair")
                #expect(try await fixture.request("GET", "/healthz").status != 500)
            }
        }

        /// A field a newer relay writes, a hand edit, a moment without file descriptors: the
        /// file cannot be read at a reload. Dropping the channels in force would leave their
        /// events without cards for good (the worker moves past them).
        @Test("a console file damaged at a reload keeps the channels in force, and changes are refused until it is repaired")
        func damagedAtReload() async throws {
            try await ConsoleFixture.with { fixture in
                let session = try await fixture.signIn()
                #expect(try await fixture.request("POST", "/console/api/channels", body: fixture.teamsChannel("letters"), session: session).status == 201)
                let path = fixture.directory + "/data/console/channels.json"
                let good = try String(contentsOfFile: path, encoding: .utf8)
                try good.replacingOccurrences(of: "\"owner\"", with: "\"mentions\":[],\"owner\"").write(toFile: path, atomically: true, encoding: .utf8)
                await fixture.service.reload(fixture.service.configuration)
                #expect(fixture.service.consoleChannels.damage != nil)
                #expect(fixture.service.consoleChannels.channels.map(\.name) == ["letters"])
                #expect(fixture.service.configuration.channels.contains { $0.name == "letters" })
                #expect(fixture.log.contains("the channels in force stay"))
                #expect(try await fixture.request("POST", "/console/api/channels", body: fixture.teamsChannel("b"), session: session).status == 503)
                #expect(fixture.log.contains("a console change was not saved"))
                // Repaired by hand: the next change goes through without a SIGHUP.
                try good.write(toFile: path, atomically: true, encoding: .utf8)
                #expect(try await fixture.request("POST", "/console/api/channels", body: fixture.teamsChannel("b"), session: session).status == 201)
                #expect(fixture.service.consoleChannels.damage == nil)
                #expect(fixture.service.configuration.channels.contains { $0.name == "b" })
            }
        }

        @Test("a console channel named like a file channel is skipped with a warning")
        func nameClash() {
            var configuration = RelayConfiguration(webhookSecrets: [Secret("s")])
            configuration.channels = [ChannelSettings(name: "ops", type: .slack, url: Secret("https://hooks.slack.com/services/a"))]
            let clash = ConsoleChannel(name: "ops", type: "teams", url: Secret("https://x.logic.azure.com/a"), triggers: ["INGEST_FAILED"],
                                       owner: "curator")
            var paused = ConsoleChannel(name: "quiet", type: "teams", url: Secret("https://x.logic.azure.com/b"), triggers: ["MOVED"],
                                        owner: "curator")
            paused.paused = true
            let merged = configuration.adding(console: [clash, paused])
            #expect(merged.channels.map(\.name) == ["ops", "quiet"])
            #expect(merged.channels[0].type == .slack)
            #expect(merged.routes.isEmpty, "a paused channel has no route")
            #expect(merged.warnings.contains { $0.contains("\"ops\" skipped") })
        }

        private func withStoredChannel(_ body: (ConsoleFixture) async throws -> String) async throws -> String {
            var kept = ""
            let copy = FileManager.default.temporaryDirectory.appendingPathComponent("console-copy-\(UUID().uuidString)").path
            try await ConsoleFixture.with { fixture in
                let session = try await fixture.signIn()
                #expect(try await fixture.request("POST", "/console/api/channels", body: fixture.teamsChannel("letters"), session: session).status == 201)
                let data = try await body(fixture)
                try FileManager.default.copyItem(atPath: data, toPath: copy)
                kept = copy
            }
            return kept
        }
    }
}
