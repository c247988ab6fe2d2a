import Console
import Foundation
import JSON
import PreservicaSimulator
import Relay
import Testing
import TestSupport

extension ConsoleSuite {
    @Suite("Console channels")
    struct ChannelAPITests {
        typealias Refs = SimulatorRepository.SampleRefs

        /// The policy of a console channel receiving `tags`: its folders are held to it too.
        static func consolePolicy(_ tags: [String]) -> SecurityTagPolicy {
            var policy = SecurityTagPolicy(allow: tags)
            policy.folders = true
            return policy
        }

        @Test("a curator's channel must post to a public address: loopback, private and link-local hosts are refused; an administrator may")
        func privateAddressesRefused() async throws {
            try await ConsoleFixture.with(configure: { $0.console.allowPrivateChannelURLs = false }) { fixture in
                let curator = try await fixture.signIn("curator")
                for url in ["http://127.0.0.1:\(fixture.port)/nope", "http://169.254.169.254/latest/meta-data", "http://10.1.2.3/hook",
                            "http://[::1]:8080/x", "http://[::ffff:192.168.0.1]/x", "http://localhost/x", "http://0x7f000001/x"] {
                    let body = #"{"name":"x","type":"slack","url":"\#(url)","triggers":["failed"]}"#
                    let answer = try await fixture.request("POST", "/console/api/channels", body: body, session: curator)
                    #expect(answer.status == 400, "\(url): \(answer.status)")
                    #expect(answer.json["field"] as? String == "url", "\(url)")
                    #expect(!answer.bodyText.contains("/nope") && !answer.bodyText.contains("meta-data"), "the path is never repeated")
                }
                // An administrator may (a chat server on the office network).
                let admin = try await fixture.signIn("archivist")
                #expect(try await fixture.request("POST", "/console/api/channels", body: fixture.teamsChannel("inside"), session: admin).status == 201)
                #expect(ChannelAddressPolicy.isPublic(.init([93, 184, 216, 34])))
                #expect(!ChannelAddressPolicy.isPublic(.init([100, 64, 0, 1])))
                #expect(ChannelAddressPolicy.isPublic(.init([0x26, 0x06, 0x28, 0] + [UInt8](repeating: 0, count: 11) + [1])))
                #expect(!ChannelAddressPolicy.isPublic(.init([0, 0x64, 0xff, 0x9b] + [UInt8](repeating: 0, count: 8) + [127, 0, 0, 1])))
            }
        }

        /// A name checked when it was saved can be pointed at this machine later (its DNS changed,
        /// or the file was edited): every card of a curator's channel asks again where it goes.
        /// An administrator's URL, or one saved while private addresses were allowed by an
        /// administrator's choice, is theirs to vouch for.
        @Test("a curator's channel whose host is now private gets no card, and says why; an administrator's still does")
        func privateAddressAtDelivery() async throws {
            try await ConsoleFixture.with(configure: { $0.console.allowPrivateChannelURLs = false }) { fixture in
                let urls = ["curators-hook": fixture.sink.teamsWorkflowURL(name: "curators-hook"),
                            "admin-hook": fixture.sink.teamsWorkflowURL(name: "admin-hook")]
                let stored = fixture.service.consoleChannels
                let curator = ConsoleEditor(username: "curator", isAdmin: false), admin = ConsoleEditor(username: "archivist", isAdmin: true)
                // Saved through the store, as the console does after its checks: the curator's
                // host passed them then, and points at loopback now.
                for (name, editor) in [("curators-hook", curator), ("admin-hook", admin)] {
                    let input = try ConsoleChannelInput.parse(try JSONParser.parse(Array(
                        #"{"name":"\#(name)","type":"teams","url":"\#(urls[name]!)","triggers":["failed"]}"#.utf8)), requireURL: true)
                    _ = try await stored.create(input, by: editor, taken: [])
                }
                let file = try JSONParser.parse(Array(try Data(contentsOf: URL(fileURLWithPath: fixture.directory + "/data/console/channels.json"))))
                let marks = (file.objectValue?["channels"]?.arrayValue ?? []).map { ($0.objectValue?["name"]?.stringValue ?? "", $0.objectValue?["urlByAdministrator"]) }
                #expect(marks.map(\.0) == ["curators-hook", "admin-hook"] && marks.map(\.1) == [.bool(false), .bool(true)], "\(marks)")

                #expect(try await fixture.notify("INGEST_FAILED", Refs.minutesAsset) == 200)
                let cards = await fixture.sink.waitForMessages(count: 1, timeout: .seconds(60)) { $0.isDelivered }
                #expect(cards.map(\.path) == [URL(string: urls["admin-hook"]!)!.path])
                #expect(await fixture.waitForAudit(["\"retry\"", "curators-hook", "private network"]))
                #expect(fixture.sink.received.count == 1, "nothing reached the curator's host")
                #expect(!fixture.auditLines.joined().contains("sig="))
            }
        }

        /// The console shows a curator an asset only when its folders pass the console's tags too;
        /// a card names those folders, so a console channel's cards are held to the same rule,
        /// and a move card names where the asset came from only when those folders passed.
        @Test("a console channel gets no card of an open asset in a closed folder, nor a closed folder's name on a move card")
        func closedFolders() async throws {
            try await ConsoleFixture.with { fixture in
                let session = try await fixture.signIn()
                let body = #"{"name":"everything","type":"teams","url":"\#(fixture.sink.teamsWorkflowURL(name: "everything"))","triggers":["failed","moved"]}"#
                #expect(try await fixture.request("POST", "/console/api/channels", body: body, session: session).status == 201)
                let ref = "9a0c4f3e-5b71-4d2a-8e6f-1c3b5d7e9f77"
                fixture.simulator.add(SimulatedAsset(ref: ref, title: "Open letter", securityTag: "open", parent: Refs.restricted))
                #expect(try await fixture.notify("INGEST_FAILED", ref) == 200)
                #expect(await fixture.waitForAudit(["\"skipped\"", "everything", ref, "folder above"]))
                // Moved out into an open folder: the card comes, without the closed folder's name.
                fixture.simulator.add(SimulatedAsset(ref: ref, title: "Open letter", securityTag: "open", parent: Refs.letters))
                #expect(try await fixture.notify("MOVED", ref) == 200)
                let cards = await fixture.sink.waitForMessages(count: 1, timeout: .seconds(60)) { $0.isDelivered }
                #expect(cards.count == 1)
                let text = String(decoding: cards.first?.body ?? [], as: UTF8.self)
                #expect(text.contains("Open letter") && text.contains("Letters"), "\(text)")
                #expect(!text.contains("Restricted records"), "the closed folder is not named: \(text)")
                // Nor does it say the asset was never seen: the relay knows where it was, and does not say.
                #expect(text.contains("not shown on this channel") && !text.contains("had not seen"), "\(text)")
                #expect(fixture.sink.received.count == 1)
            }
        }

        /// A console channel whose name the configuration file took later is skipped; the queue,
        /// dead letters and deliveries found by that name are the file channel's, so its maker may
        /// only delete it.
        @Test("a console channel the file's channel shadows shows nothing of the file channel's, and may only be deleted")
        func shadowedByFile() async throws {
            try await ConsoleFixture.with(prepare: { data in
                try FileManager.default.createDirectory(atPath: data + "/console", withIntermediateDirectories: true)
                let channel = #"{"name":"ops","type":"slack","url":"https://hooks.slack.com/services/T0/B0/x","triggers":["failed"],"owner":"curator"}"#
                try Data(#"{"format":1,"channels":[\#(channel)]}"#.utf8).write(to: URL(fileURLWithPath: data + "/console/channels.json"))
            }) { fixture in
                #expect(fixture.log.contains("skipped: the configuration file has a channel of that name"))
                let session = try await fixture.signIn("curator")
                let listed = try await fixture.request("GET", "/console/api/channels", session: session)
                let entries = (listed.json["channels"] as? [[String: Any]] ?? []).filter { $0["name"] as? String == "ops" }
                #expect(entries.count == 1 && entries.first?["shadowed"] as? Bool == true, "listed once, to be deleted: \(entries)")
                #expect(try await fixture.request("GET", "/console/api/channels/ops/deliveries", session: session).status == 403)
                #expect(try await fixture.request("POST", "/console/api/channels/ops/dead/x.json/replay", session: session).status == 403)
                #expect(try await fixture.request("POST", "/console/api/channels/ops/test", session: session).status == 403)
                #expect(try await fixture.request("PUT", "/console/api/channels/ops", body: #"{"version":1,"paused":true}"#, session: session).status == 403)
                #expect(try await fixture.request("DELETE", "/console/api/channels/ops?version=1", session: session).status == 200)
                #expect(fixture.service.consoleChannels.channels.isEmpty)
            }
        }

        /// Every change reloads the relay, and every channel is routed for every event: one curator
        /// may neither keep the pipeline restarting nor add channels without end.
        @Test("a curator may keep console.maxChannelsPerCurator channels and make so many changes in ten minutes; an administrator is not held to either")
        func curatorLimits() async throws {
            try await ConsoleFixture.with(changes: { ChangeLimiter(maxChanges: 4, window: .seconds(600), clock: $0) },
                                          configure: { $0.console.maxChannelsPerCurator = 2 }) { fixture in
                let curator = try await fixture.signIn("curator")
                for name in ["one", "two"] {
                    #expect(try await fixture.request("POST", "/console/api/channels", body: fixture.teamsChannel(name), session: curator).status == 201)
                }
                let third = try await fixture.request("POST", "/console/api/channels", body: fixture.teamsChannel("three"), session: curator)
                #expect(third.status == 409)
                #expect((third.json["error"] as? String)?.contains("the most one person may have") == true)
                #expect(try await fixture.request("PUT", "/console/api/channels/one", body: #"{"version":1,"paused":true}"#, session: curator).status == 200)
                #expect(try await fixture.request("PUT", "/console/api/channels/one", body: #"{"version":2,"paused":false}"#, session: curator).status == 200)
                let fifth = try await fixture.request("DELETE", "/console/api/channels/two?version=1", session: curator)
                #expect(fifth.status == 429)
                #expect(fifth.headers["retry-after"] != nil)
                #expect(fixture.service.consoleChannels.channels.count == 2, "the refused change was not made")
                // An administrator is held to neither.
                let admin = try await fixture.signIn("archivist")
                for name in ["three", "four", "five", "six", "seven"] {
                    #expect(try await fixture.request("POST", "/console/api/channels", body: fixture.teamsChannel(name), session: admin).status == 201)
                }
                fixture.clock.advance(.seconds(601))
                #expect(try await fixture.request("DELETE", "/console/api/channels/two?version=1", session: curator).status == 200)
            }
        }

        @Test("a channel added in the console takes effect at once: failures in its folder arrive, others do not")
        func addedChannelIsLive() async throws {
            try await ConsoleFixture.with { fixture in
                let session = try await fixture.signIn()
                let created = try await fixture.request("POST", "/console/api/channels", body: fixture.teamsChannel("letters"), session: session)
                #expect(created.status == 201)
                #expect(created.json["urlHost"] as? String == "127.0.0.1")
                #expect(created.json["url"] == nil, "the URL is write-only")
                #expect(!created.bodyText.contains("sig="))

                #expect(try await fixture.notify("INGEST_FAILED", Refs.minutesAsset) == 200)
                let cards = await fixture.sink.waitForMessages(count: 1, timeout: .seconds(60)) { $0.isDelivered }
                #expect(cards.count == 1)
                let text = String(decoding: cards.first?.body ?? [], as: UTF8.self)
                #expect(text.contains("Minutes of the Board"))

                // Outside the folder, and another trigger in the folder: routed nowhere.
                #expect(try await fixture.notify("INGEST_FAILED", Refs.tokyoMapAsset) == 200)
                #expect(try await fixture.notify("FULL_TEXT_INDEXED", Refs.minutesAsset) == 200)
                #expect(await fixture.waitForAudit(["\"routed\"", Refs.tokyoMapAsset, "\"channels\":[]"]))
                #expect(await fixture.waitForAudit(["\"routed\"", "FULL_TEXT_INDEXED", Refs.minutesAsset, "\"channels\":[]"]))
                #expect(fixture.sink.received.count == 1)
                let audit = fixture.auditLines.filter { $0.contains("\"console\"") }
                #expect(audit.contains { $0.contains("\"user\":\"curator\"") && $0.contains("\"action\":\"create\"") && $0.contains("\"letters\"") })
                #expect(!fixture.auditLines.joined().contains(fixture.sink.teamsWorkflowURL(name: "letters")))
                #expect(!fixture.auditLines.joined().contains("sig="))
                #expect(!fixture.log.contains("sig="), "the URL's key is never logged")
            }
        }

        @Test("a reload that changes console.browseSecurityTags leaves console channels with the tags in force until a restart, as the log says")
        func browseTagsWaitForRestart() async throws {
            try await ConsoleFixture.with(configure: { $0.console.browseSecurityTags = ["open"] }) { fixture in
                let curator = try await fixture.signIn("curator")
                #expect(try await fixture.request("POST", "/console/api/channels", body: fixture.teamsChannel("letters"), session: curator).status == 201)
                func policy() -> SecurityTagPolicy? { fixture.service.configuration.channels.first { $0.name == "letters" }?.securityTags }
                #expect(await eventually { policy() == Self.consolePolicy(["open"]) })
                var file = fixture.service.configuration
                file.channels = file.channels.filter { $0.name == "ops" }
                file.routes = []
                file.console.browseSecurityTags = ["open", "staff"]
                await fixture.service.reload(file)
                #expect(await eventually { fixture.log.contains("need a restart") && fixture.log.contains("console") }, "the log says the change waits for a restart")
                #expect(policy() == Self.consolePolicy(["open"]), "\(String(describing: policy()))")
                // A console save after it: still the tags in force.
                #expect(try await fixture.request("POST", "/console/api/channels", body: fixture.teamsChannel("more"), session: curator).status == 201)
                #expect(await eventually { fixture.service.configuration.channels.contains { $0.name == "more" } })
                #expect(policy() == Self.consolePolicy(["open"]))
            }
        }

        @Test("a paused channel gets no new cards; resumed, it does again")
        func pauseAndResume() async throws {
            try await ConsoleFixture.with { fixture in
                let session = try await fixture.signIn()
                #expect(try await fixture.request("POST", "/console/api/channels", body: fixture.teamsChannel("letters"), session: session).status == 201)
                let paused = try await fixture.request("PUT", "/console/api/channels/letters", body: #"{"version":1,"paused":true}"#, session: session)
                #expect(paused.status == 200)
                #expect(paused.json["version"] as? Int == 2)
                #expect(try await fixture.notify("INGEST_FAILED", Refs.minutesAsset) == 200)
                #expect(await fixture.waitForAudit(["\"routed\"", Refs.minutesAsset, "\"channels\":[]"]))
                #expect(fixture.sink.received.isEmpty)
                #expect(try await fixture.request("PUT", "/console/api/channels/letters", body: #"{"version":2,"paused":false}"#,
                                                  session: session).status == 200)
                #expect(try await fixture.notify("INGEST_FAILED", Refs.letterAsset) == 200)
                #expect(await fixture.sink.waitForMessages(count: 1, timeout: .seconds(60)).count == 1)
            }
        }

        @Test("saving from a stale page is refused with a clear message and changes nothing")
        func staleVersion() async throws {
            try await ConsoleFixture.with { fixture in
                let session = try await fixture.signIn()
                #expect(try await fixture.request("POST", "/console/api/channels", body: fixture.teamsChannel("letters"), session: session).status == 201)
                #expect(try await fixture.request("PUT", "/console/api/channels/letters", body: #"{"version":1,"securityTags":["open"]}"#,
                                                  session: session).status == 200)
                let stale = try await fixture.request("PUT", "/console/api/channels/letters", body: #"{"version":1,"paused":true}"#, session: session)
                #expect(stale.status == 409)
                #expect(stale.json["field"] as? String == "version")
                #expect((stale.json["error"] as? String)?.contains("nothing was saved") == true)
                let stored = try #require(fixture.service.consoleChannels.channels.first)
                #expect(stored.paused == false && stored.version == 2 && stored.securityTags == ["open"])
                let noVersion = try await fixture.request("PUT", "/console/api/channels/letters", body: #"{"paused":true}"#, session: session)
                #expect(noVersion.status == 400 && noVersion.json["field"] as? String == "version")
                #expect(try await fixture.request("DELETE", "/console/api/channels/letters?version=1", session: session).status == 409)
                #expect(try await fixture.request("DELETE", "/console/api/channels/letters?version=2", session: session).status == 200)
                #expect(fixture.service.consoleChannels.channels.isEmpty)
            }
        }

        @Test("errors name the field")
        func fieldErrors() async throws {
            try await ConsoleFixture.with { fixture in
                let session = try await fixture.signIn()
                let cases: [(String, String)] = [
                    (#"{"name":"bad name","type":"teams","url":"https://x.example/a","triggers":["failed"]}"#, "name"),
                    (#"{"name":"a","type":"fax","url":"https://x.example/a","triggers":["failed"]}"#, "type"),
                    (#"{"name":"a","type":"teams","url":"ftp://x.example/secret-key","triggers":["failed"]}"#, "url"),
                    (#"{"name":"a","type":"teams","triggers":["failed"]}"#, "url"),
                    (#"{"name":"a","type":"teams","url":"https://x.example/a","triggers":["sometimes"]}"#, "triggers[0]"),
                    (#"{"name":"a","type":"teams","url":"https://x.example/a","triggers":["failed"],"folder":"../x"}"#, "folder"),
                    (#"{"name":"a","type":"teams","url":"https://x.example/a","triggers":["failed"],"digest":{"window":"soon"}}"#, "digest.window"),
                    (#"{"name":"a","type":"teams","url":"https://x.example/a","triggers":["failed"],"colour":"red"}"#, "colour"),
                    (#"{"name":"ops","type":"teams","url":"https://x.example/a","triggers":["failed"]}"#, "name"),
                ]
                for (body, field) in cases {
                    let response = try await fixture.request("POST", "/console/api/channels", body: body, session: session)
                    #expect((400...409).contains(response.status), "\(body)")
                    #expect(response.json["field"] as? String == field, "\(body): \(response.bodyText)")
                    #expect((response.json["error"] as? String)?.hasPrefix(field + ":") == true)
                    #expect(!response.bodyText.contains("secret-key"), "an error never repeats the URL")
                }
                #expect(fixture.service.consoleChannels.channels.isEmpty)
            }
        }

        @Test("curators see and change only their own channels; admins all; file channels are read-only")
        func ownership() async throws {
            try await ConsoleFixture.with { fixture in
                let curator = try await fixture.signIn("curator")
                let archivist = try await fixture.signIn("archivist")
                #expect(try await fixture.request("POST", "/console/api/channels", body: fixture.teamsChannel("mine"), session: curator).status == 201)
                #expect(try await fixture.request("POST", "/console/api/channels", body: fixture.teamsChannel("theirs"), session: archivist).status == 201)
                let list = try await fixture.request("GET", "/console/api/channels", session: curator)
                let names = (list.json["channels"] as? [[String: Any]] ?? []).map { ($0["name"] as? String ?? "", $0["readOnly"] as? Bool ?? false) }
                #expect(names.map(\.0) == ["mine", "ops"])
                #expect(names.last?.1 == true)
                #expect(try await fixture.request("PUT", "/console/api/channels/theirs", body: #"{"version":1,"paused":true}"#,
                                                  session: curator).status == 404)
                #expect(try await fixture.request("DELETE", "/console/api/channels/theirs", session: curator).status == 404)
                #expect(try await fixture.request("POST", "/console/api/channels/theirs/test", session: curator).status == 404)
                #expect(try await fixture.request("PUT", "/console/api/channels/ops", body: #"{"version":1}"#, session: archivist).status == 403)
                let all = try await fixture.request("GET", "/console/api/channels", session: archivist)
                #expect((all.json["channels"] as? [[String: Any]] ?? []).count == 3)
                #expect(try await fixture.request("PUT", "/console/api/channels/mine", body: #"{"version":1,"paused":true}"#,
                                                  session: archivist).status == 200)
            }
        }
    
        /// Queues, dead letters and recent deliveries are found by a channel's name.
        @Test("a curator cannot take the name of a deleted channel whose cards are still kept; an administrator can")
        func nameWithLeftovers() async throws {
            try await ConsoleFixture.with(prepare: { data in
                try FileManager.default.createDirectory(atPath: data + "/dead/letters", withIntermediateDirectories: true)
                try Data(#"{"id":"j","channel":"letters","payload":{},"title":"Minutes of the Board"}"#.utf8)
                    .write(to: URL(fileURLWithPath: data + "/dead/letters/000000000001-0000.json"))
            }) { fixture in
                let curator = try await fixture.signIn("curator")
                let refused = try await fixture.request("POST", "/console/api/channels", body: fixture.teamsChannel("letters"), session: curator)
                #expect(refused.status == 409)
                #expect(refused.json["field"] as? String == "name")
                #expect(!refused.bodyText.contains("Minutes of the Board"))
                let archivist = try await fixture.signIn("archivist")
                #expect(try await fixture.request("POST", "/console/api/channels", body: fixture.teamsChannel("letters"), session: archivist).status == 201)
            }
        }

        @Test("a console save reloads the relay without losing a card waiting for a retry")
        func saveKeepsQueuedCards() async throws {
            try await ConsoleFixture.with(configure: { $0.routes = [RouteSettings(triggers: ["INGEST_FAILED"], channels: ["ops"])] }) { fixture in
                fixture.sink.script(.slack, replies: [.text(503, "busy", headers: ["Retry-After": "1"])])
                #expect(try await fixture.notify("INGEST_FAILED", Refs.tokyoMapAsset) == 200)
                #expect(await fixture.waitForAudit(["\"retry\"", "\"ops\""]))
                let session = try await fixture.signIn()
                #expect(try await fixture.request("POST", "/console/api/channels", body: fixture.teamsChannel("letters"), session: session).status == 201)
                #expect(await fixture.waitForAudit(["\"delivered\"", "\"ops\""]), "the queued card went out after the reload")
                #expect(fixture.sink.delivered.count == 1)
            }
        }
    }
}
