import Console
import Foundation
import PreservicaSimulator
import Relay
import Testing

extension ConsoleSuite {
    @Suite("Console test cards, folders and deliveries")
    struct TestCardTests {
        typealias Refs = SimulatorRepository.SampleRefs

        @Test("a test card renders the folder's latest asset, posts it now and says what the service answered")
        func testCard() async throws {
            try await ConsoleFixture.with { fixture in
                let session = try await fixture.signIn()
                #expect(try await fixture.request("POST", "/console/api/channels", body: fixture.teamsChannel("letters"), session: session).status == 201)
                let sent = try await fixture.request("POST", "/console/api/channels/letters/test", body: "{}", session: session)
                #expect(sent.status == 200)
                #expect(sent.json["delivered"] as? Bool == true)
                #expect(sent.json["message"] as? String == "Teams accepted it (HTTP 202).")
                #expect(sent.json["asset"] as? String == Refs.minutesAsset)
                let cards = await fixture.sink.waitForMessages(count: 1, timeout: .seconds(60))
                let text = String(decoding: cards.first?.body ?? [], as: UTF8.self)
                #expect(text.contains("Minutes of the Board"))

                fixture.sink.script(.teams, replies: [.text(404, "not found")])
                let wrong = try await fixture.request("POST", "/console/api/channels/letters/test", body: #"{"asset":"\#(Refs.letterAsset)"}"#,
                                                      session: session)
                #expect(wrong.json["delivered"] as? Bool == false)
                #expect((wrong.json["message"] as? String)?.hasPrefix("The workflow URL is wrong") == true)
                #expect(!wrong.bodyText.contains("sig="))
                // A flow turned off (Power Automate turns off one without a successful run for 90
                // days) answers 400, which is no fault of the card's content.
                fixture.sink.script(.teams, replies: [.teamsWorkflowTurnedOff])
                let off = try await fixture.request("POST", "/console/api/channels/letters/test", body: #"{"asset":"\#(Refs.letterAsset)"}"#,
                                                    session: session)
                #expect((off.json["message"] as? String)?.contains("the workflow was turned off or deleted") == true, "\(off.bodyText)")
                #expect((off.json["message"] as? String)?.contains("WorkflowTriggerIsNotEnabled") == true)
                #expect(fixture.auditLines.contains { $0.contains("\"action\":\"test\"") && $0.contains("\"delivered\":false") })
            }
        }

        @Test("a test card to a Discord forum channel's webhook goes as a new post named after the asset, and says so")
        func discordForum() async throws {
            try await ConsoleFixture.with { fixture in
                let session = try await fixture.signIn()
                let url = fixture.sink.discordURL(name: "forum", forum: true)
                let channel = #"{"name":"forum","type":"discord","url":"\#(url)","triggers":["failed"],"folder":"\#(Refs.letters)","folderTitle":"Letters"}"#
                #expect(try await fixture.request("POST", "/console/api/channels", body: channel, session: session).status == 201)
                let sent = try await fixture.request("POST", "/console/api/channels/forum/test", body: "{}", session: session)
                #expect(sent.json["delivered"] as? Bool == true)
                #expect(sent.json["message"] as? String
                        == "Discord accepted it as a new post in the forum, named \"Minutes of the Board, 1921 <draft> & notes\", as every card will be (HTTP 200).",
                        "\(sent.bodyText)")
                let posts = fixture.sink.received.filter { $0.target == .discord }
                #expect(posts.map { $0.isDelivered } == [false, true])
                #expect(posts.last?.json?.objectValue?["thread_name"]?.stringValue == "Minutes of the Board, 1921 <draft> & notes")
            }
        }

        @Test("after the relay's Preservica password is rotated and the configuration reloaded, the console checks folders and renders test cards with the new one")
        func passwordRotation() async throws {
            try await ConsoleFixture.with(configure: { $0.console.browseSecurityTags = ["open"] }) { fixture in
                let curator = try await fixture.signIn("curator")
                #expect(try await fixture.request("POST", "/console/api/channels", body: fixture.teamsChannel("letters"), session: curator).status == 201)
                let rotated = "rotated-pass-7310"
                fixture.simulator.changePassword(of: fixture.simulator.configuration.username, to: rotated)
                fixture.simulator.expireAllTokens()
                var file = fixture.service.configuration
                file.channels = file.channels.filter { $0.name == "ops" }
                file.routes = []
                file.preservica?.credentials.password = rotated
                await fixture.service.reload(file)
                let saved = try await fixture.request("POST", "/console/api/channels", body: fixture.teamsChannel("more", folder: Refs.maps), session: curator)
                #expect(saved.status == 201, "the folder is checked with the password in force: \(saved.bodyText)")
                let sent = try await fixture.request("POST", "/console/api/channels/letters/test", body: "{}", session: curator)
                #expect(sent.json["delivered"] as? Bool == true)
                #expect(sent.json["asset"] as? String == Refs.minutesAsset, "the folder's latest asset, not a stand-in")
                #expect(!fixture.log.contains(rotated))
            }
        }

        @Test("security tags no console channel receives are refused; a test card says when real cards would not reach the channel")
        func testCardsSayWhatRealCardsWouldDo() async throws {
            try await ConsoleFixture.with { fixture in
                let curator = try await fixture.signIn("curator")
                let closed = try await fixture.request("POST", "/console/api/channels",
                                                       body: fixture.teamsChannel("letters", extra: #","securityTags":["open","closed"]"#), session: curator)
                #expect(closed.status == 400)
                #expect(closed.json["field"] as? String == "securityTags")
                #expect((closed.json["error"] as? String)?.contains("\"closed\"") == true, "\(closed.bodyText)")
                #expect((closed.json["error"] as? String)?.contains("open") == true, "\(closed.bodyText)")
                #expect(try await fixture.request("POST", "/console/api/channels", body: fixture.teamsChannel("letters"), session: curator).status == 201)
                let session = try await fixture.request("GET", "/console/api/session", session: curator)
                #expect((session.json["channelSecurityTags"] as? [String]) == ["open"], "the page can say which tags a channel may take")

                // An asset outside the channel's folder: the card is sent, and the note says so.
                let elsewhere = try await fixture.request("POST", "/console/api/channels/letters/test", body: #"{"asset":"\#(Refs.tokyoMapAsset)"}"#,
                                                          session: curator)
                #expect(elsewhere.json["delivered"] as? Bool == true)
                #expect((elsewhere.json["note"] as? String)?.contains("not in the channel's folder") == true, "\(elsewhere.bodyText)")
                #expect((elsewhere.json["message"] as? String)?.contains("not in the channel's folder") == true)
                // In the folder: no note.
                let inside = try await fixture.request("POST", "/console/api/channels/letters/test", body: #"{"asset":"\#(Refs.minutesAsset)"}"#,
                                                       session: curator)
                #expect(inside.json["delivered"] as? Bool == true)
                #expect(inside.json["note"] == nil, "\(inside.bodyText)")

                // An administrator may choose a closed folder; the test card says its cards would not be sent.
                let admin = try await fixture.signIn("archivist")
                #expect(try await fixture.request("POST", "/console/api/channels", body: fixture.teamsChannel("restricted", folder: Refs.restricted),
                                                  session: admin).status == 201)
                let restricted = try await fixture.request("POST", "/console/api/channels/restricted/test", body: "{}", session: admin)
                #expect(restricted.json["asset"] as? String == Refs.closedAsset)
                #expect((restricted.json["note"] as? String)?.contains("tagged \"closed\"") == true, "\(restricted.bodyText)")

                // No folder and no asset: the card's contents are made up, and it says so.
                #expect(try await fixture.request("POST", "/console/api/channels", body: fixture.teamsChannel("anywhere", folder: nil),
                                                  session: curator).status == 201)
                let madeUp = try await fixture.request("POST", "/console/api/channels/anywhere/test", body: "{}", session: curator)
                #expect((madeUp.json["note"] as? String)?.contains("made-up") == true, "\(madeUp.bodyText)")
            }
        }

        @Test("a channel saved with a tag channels no longer receive can still be edited; adding another such tag is refused")
        func keptTagsStayEditable() async throws {
            try await ConsoleFixture.with(prepare: { data in
                var kept = ConsoleChannel(name: "kept", type: "slack", url: Secret("https://hooks.slack.com/services/k"), triggers: ["INGEST_FAILED"],
                                          owner: "curator")
                kept.securityTags = ["open", "public"]
                try ConsoleChannelFile(dataDirectory: data).write([kept])
            }) { fixture in
                let curator = try await fixture.signIn("curator")
                let edited = try await fixture.request("PUT", "/console/api/channels/kept",
                                                       body: #"{"version":1,"securityTags":["open","public"],"triggers":["failed","moved"]}"#, session: curator)
                #expect(edited.status == 200, "\(edited.bodyText)")
                let more = try await fixture.request("PUT", "/console/api/channels/kept",
                                                     body: #"{"version":2,"securityTags":["open","public","closed"]}"#, session: curator)
                #expect(more.status == 400 && more.json["field"] as? String == "securityTags", "\(more.bodyText)")
            }
        }

        @Test("a curator's channel shows its folder by the title Preservica gives it, not one the page sent")
        func folderTitleFromPreservica() async throws {
            try await ConsoleFixture.with { fixture in
                let curator = try await fixture.signIn("curator")
                let body = #"{"name":"letters","type":"teams","url":"\#(fixture.sink.teamsWorkflowURL(name: "letters"))","triggers":["failed"],"#
                    + #""folder":"\#(Refs.letters)","folderTitle":"Board of Directors: private"}"#
                let created = try await fixture.request("POST", "/console/api/channels", body: body, session: curator)
                #expect(created.status == 201)
                #expect(created.json["folderTitle"] as? String == "Letters & Correspondence", "\(created.bodyText)")
                // An edit that keeps the folder keeps its title too.
                let renamed = try await fixture.request("PUT", "/console/api/channels/letters",
                                                        body: #"{"version":1,"folder":"\#(Refs.letters)","folderTitle":"Board of Directors: private"}"#,
                                                        session: curator)
                #expect(renamed.status == 200)
                #expect(renamed.json["folderTitle"] as? String == "Letters & Correspondence", "\(renamed.bodyText)")
            }
        }

        @Test("an edit that leaves the folder as it was is saved while Preservica cannot be asked about it")
        func unchangedFolderIsNotCheckedAgain() async throws {
            try await ConsoleFixture.with { fixture in
                let curator = try await fixture.signIn("curator")
                #expect(try await fixture.request("POST", "/console/api/channels", body: fixture.teamsChannel("letters"), session: curator).status == 201)
                // A reload gives the relay a new Entity API client, which has no folder cached.
                var file = fixture.service.configuration
                file.channels = file.channels.filter { $0.name == "ops" }
                file.routes = []
                await fixture.service.reload(file)
                fixture.simulator.breakFolder(Refs.letters, status: 503)
                let edited = try await fixture.request("PUT", "/console/api/channels/letters",
                                                       body: #"{"version":1,"triggers":["failed","moved"],"folder":"\#(Refs.letters)"}"#, session: curator)
                #expect(edited.status == 200, "\(edited.bodyText)")
                // Another folder is still checked.
                let moved = try await fixture.request("PUT", "/console/api/channels/letters",
                                                      body: #"{"version":2,"folder":"\#(Refs.restricted)"}"#, session: curator)
                #expect(moved.status == 404)
            }
        }

        @Test("a preview that cannot be shown is a page saying why, not JSON in a new tab")
        func previewErrorsArePages() async throws {
            try await ConsoleFixture.with { fixture in
                let curator = try await fixture.signIn("curator")
                #expect(try await fixture.request("POST", "/console/api/channels", body: fixture.teamsChannel("letters"), session: curator).status == 201)
                let unknown = try await fixture.request("GET", "/console/api/channels/letters/preview?asset=\(Refs.unknown)", session: curator)
                #expect(unknown.status == 404)
                #expect(unknown.headers["content-type"]?.hasPrefix("text/html") == true)
                #expect(unknown.bodyText.contains("No such asset"), "\(unknown.bodyText)")
                let signedOut = try await fixture.request("GET", "/console/api/channels/letters/preview")
                #expect(signedOut.status == 401)
                #expect(signedOut.headers["content-type"]?.hasPrefix("text/html") == true)
                #expect(signedOut.bodyText.contains("sign in"), "\(signedOut.bodyText)")
                #expect(signedOut.headers["content-security-policy"]?.contains("default-src 'none'") == true, "nothing runs or loads on the page")
                #expect(!signedOut.bodyText.contains("<script"))
            }
        }

        @Test("a curator sees through a channel only what the folder browser shows: no closed asset or folder in previews, test cards, folders or cards")
        func curatorsSeeOnlyBrowsableAssets() async throws {
            try await ConsoleFixture.with { fixture in
                let curator = try await fixture.signIn("curator")
                #expect(try await fixture.request("POST", "/console/api/channels",
                                                  body: fixture.teamsChannel("letters", triggers: ["ingest"], folder: nil), session: curator).status == 201)
                let preview = try await fixture.request("GET", "/console/api/channels/letters/preview?asset=\(Refs.closedAsset)", session: curator)
                #expect(preview.status == 404)
                #expect(!preview.bodyText.contains("Personnel file"))
                let test = try await fixture.request("POST", "/console/api/channels/letters/test", body: #"{"asset":"\#(Refs.closedAsset)"}"#,
                                                     session: curator)
                #expect(test.status == 404)
                #expect(!test.bodyText.contains("Personnel file"))
                // A reference Preservica does not know is said so, not replaced by another asset.
                let unknown = try await fixture.request("POST", "/console/api/channels/letters/test", body: #"{"asset":"\#(Refs.unknown)"}"#,
                                                        session: curator)
                #expect(unknown.status == 404)
                let closedFolder = try await fixture.request("PUT", "/console/api/channels/letters",
                                                             body: #"{"folder":"\#(Refs.restricted)","version":1}"#, session: curator)
                #expect(closedFolder.status == 404, "\(closedFolder.bodyText)")
                #expect(fixture.sink.received.isEmpty)
                // Cards: the channel takes every folder, yet the closed asset's ingest reaches it not.
                #expect(try await fixture.notify("FULL_TEXT_INDEXED", Refs.closedAsset) == 200)
                #expect(try await fixture.notify("FULL_TEXT_INDEXED", Refs.minutesAsset) == 200)
                let cards = await fixture.sink.waitForMessages(count: 1, timeout: .seconds(60))
                #expect(cards.count == 1)
                #expect(cards.allSatisfy { !$0.bodyText.contains("Personnel file") && $0.bodyText.contains("Minutes of the Board") })
                // An open asset in a closed folder shows nothing, also when the folder cannot be
                // read just now (the folders above it are then unknown).
                let unreadFolder = "3b6f1a52-8d4e-4c1a-9f0e-2a7d5c1e0b99", openInClosed = "9a0c4f3e-5b71-4d2a-8e6f-1c3b5d7e9f99"
                fixture.simulator.changeRepository { repository in
                    repository.folders.append(SimulatedFolder(ref: unreadFolder, title: "Closed file", securityTag: "closed"))
                    repository.assets.append(SimulatedAsset(ref: openInClosed, title: "Open page of a closed file", description: nil,
                                                            parent: unreadFolder))
                }
                fixture.simulator.breakFolder(unreadFolder, status: 503)
                let unread = try await fixture.request("GET", "/console/api/channels/letters/preview?asset=\(openInClosed)", session: curator)
                #expect(unread.status == 404 && !unread.bodyText.contains("Open page"), "\(unread.status)")
                fixture.simulator.breakFolder(unreadFolder, status: nil)
                #expect(try await fixture.request("GET", "/console/api/channels/letters/preview?asset=\(openInClosed)", session: curator).status == 404)
                // An administrator's preview shows what the relay's account sees.
                let admin = try await fixture.signIn("archivist")
                #expect(try await fixture.request("GET", "/console/api/channels/letters/preview?asset=\(Refs.closedAsset)", session: admin).status == 200)
            }
        }

        @Test("the preview is the card's HTML picture, on a page without script")
        func preview() async throws {
            try await ConsoleFixture.with { fixture in
                let session = try await fixture.signIn()
                #expect(try await fixture.request("POST", "/console/api/channels", body: fixture.teamsChannel("letters"), session: session).status == 201)
                let page = try await fixture.request("GET", "/console/api/channels/letters/preview?asset=\(Refs.minutesAsset)", session: session)
                #expect(page.status == 200)
                #expect(page.headers["content-type"]?.hasPrefix("text/html") == true)
                #expect(page.bodyText.contains("Minutes of the Board, 1921 &lt;draft&gt;"))
                #expect(page.headers["content-security-policy"]?.contains("default-src 'none'") == true)
                #expect(fixture.sink.received.isEmpty, "a preview posts nothing")
            }
        }

        @Test("the folder browser lists folders live; curators see only open ones, admins all")
        func folders() async throws {
            try await ConsoleFixture.with { fixture in
                let curator = try await fixture.signIn("curator")
                let roots = try await fixture.request("GET", "/console/api/folders", session: curator)
                #expect((roots.json["folders"] as? [[String: Any]] ?? []).compactMap { $0["ref"] as? String } == [Refs.collections])
                let inside = try await fixture.request("GET", "/console/api/folders?parent=\(Refs.collections)", session: curator)
                let titles = (inside.json["folders"] as? [[String: Any]] ?? []).compactMap { $0["title"] as? String }
                #expect(titles == ["Letters & Correspondence", "Maps and plans"])
                #expect((inside.json["path"] as? [[String: Any]])?.first?["ref"] as? String == Refs.collections)
                #expect(try await fixture.request("GET", "/console/api/folders?parent=\(Refs.restricted)", session: curator).status == 404)
                #expect(try await fixture.request("GET", "/console/api/folders?parent=..%2Fx", session: curator).status == 400)
                let admin = try await fixture.signIn("archivist")
                let all = try await fixture.request("GET", "/console/api/folders", session: admin)
                #expect((all.json["folders"] as? [[String: Any]] ?? []).count == 2)
            }
        }

        @Test("dead letters are listed and can be replayed")
        func deadLetters() async throws {
            try await ConsoleFixture.with { fixture in
                let session = try await fixture.signIn()
                #expect(try await fixture.request("POST", "/console/api/channels", body: fixture.teamsChannel("letters"), session: session).status == 201)
                fixture.sink.script(.teams, replies: [.text(400, "bad card")])
                #expect(try await fixture.notify("INGEST_FAILED", Refs.minutesAsset) == 200)
                #expect(await fixture.waitForAudit(["\"dead\"", "\"letters\""]))
                // The channel list says the channel is failing, and why.
                let channels = try await fixture.request("GET", "/console/api/channels", session: session)
                let letters = (channels.json["channels"] as? [[String: Any]] ?? []).first { $0["name"] as? String == "letters" }
                let health = letters?["health"] as? [String: Any]
                #expect((health?["failuresInARow"] as? Int) == 1, "\(String(describing: health))")
                #expect((health?["lastFailureReason"] as? String)?.isEmpty == false)
                #expect(health?["lastSuccess"] == nil)
                let listed = try await fixture.request("GET", "/console/api/channels/letters/deliveries", session: session)
                let dead = try #require((listed.json["dead"] as? [[String: Any]])?.first)
                #expect((listed.json["recent"] as? [[String: Any]])?.first?["outcome"] as? String == "dead")
                let file = try #require(dead["file"] as? String)
                #expect(try await fixture.request("POST", "/console/api/channels/letters/dead/\(file)/replay", session: session).status == 200)
                let cards = await fixture.sink.waitForMessages(count: 1, timeout: .seconds(60)) { $0.isDelivered }
                #expect(cards.count == 1)
                #expect(fixture.auditLines.contains { $0.contains("\"action\":\"replay\"") })
            }
        }
    }
}
