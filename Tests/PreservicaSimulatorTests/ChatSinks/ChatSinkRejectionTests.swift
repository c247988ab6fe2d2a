import Foundation
import Testing
import PreservicaSimulator

@Suite("Chat sinks: bad payloads and credentials")
struct ChatSinkRejectionTests {
    @Test("Teams Workflows answers 202 to a body without attachments but records a silent failure")
    func teamsSilentFailure() async throws {
        let fixture = try ChatSinkFixture()
        let card = try await fixture.post(fixture.sink.teamsWorkflowURL(), ChatSinkSamples.messageCard)
        let tooNew = ChatSinkSamples.adaptiveEnvelope.replacingOccurrences(of: #""version":"1.4""#, with: #""version":"1.5""#)
        let newCard = try await fixture.post(fixture.sink.teamsWorkflowURL(), tooNew)
        let received = fixture.sink.received
        await fixture.finish()
        #expect(card.status == 202)
        #expect(card.body.isEmpty)
        #expect(newCard.status == 202)
        guard case .silentlyFailed(let why) = received.first?.outcome else {
            Issue.record("expected a silent failure, got \(String(describing: received.first?.outcome))")
            return
        }
        #expect(why.contains("'attachments'"))
        guard case .silentlyFailed(let render) = received.last?.outcome else {
            Issue.record("expected a silent failure for a 1.5 card")
            return
        }
        #expect(render.contains("1.5"))
        #expect(fixture.sink.delivered.isEmpty)
    }

    @Test("Teams Workflows answers 401 DirectApiAuthorizationRequired without the right sig")
    func teamsSignature() async throws {
        let fixture = try ChatSinkFixture()
        let url = fixture.sink.teamsWorkflowURL()
        let noSig = String(url[..<url.range(of: "&sig=")!.lowerBound])
        let missing = try await fixture.post(noSig, ChatSinkSamples.adaptiveEnvelope)
        let wrong = try await fixture.post(noSig + "&sig=forged", ChatSinkSamples.adaptiveEnvelope)
        let escaped = try await fixture.post(url.replacingOccurrences(of: "&sig=", with: "&amp;sig="), ChatSinkSamples.adaptiveEnvelope)
        await fixture.finish()
        for reply in [missing, wrong, escaped] {
            #expect(reply.status == 401)
            #expect((reply.json["error"] as? [String: Any])?["code"] as? String == "DirectApiAuthorizationRequired")
        }
    }

    @Test("the Teams connector answers 400 'Summary or Text is required.' to a card with neither")
    func connectorSummary() async throws {
        let fixture = try ChatSinkFixture()
        let reply = try await fixture.post(fixture.sink.teamsConnectorURL(), #"{"@type":"MessageCard","title":"only a title"}"#)
        let large = try await fixture.post(fixture.sink.teamsConnectorURL(),
                                           #"{"text":"\#(String(repeating: "x", count: 30_000))"}"#)
        await fixture.finish()
        #expect(reply.status == 400)
        #expect(reply.text == "Summary or Text is required.")
        #expect(large.status == 200)
        #expect(large.text.contains("Microsoft Teams endpoint returned HTTP error 413"))
    }

    @Test("Slack answers 400 no_text and invalid_payload, as plain text")
    func slack() async throws {
        let fixture = try ChatSinkFixture()
        let empty = try await fixture.post(fixture.sink.slackURL(), #"{"username":"relay"}"#)
        let broken = try await fixture.post(fixture.sink.slackURL(), #"{"text":"#)
        let received = fixture.sink.received
        await fixture.finish()
        #expect(empty.status == 400)
        #expect(empty.text == "no_text")
        #expect(broken.status == 400)
        #expect(broken.text == "invalid_payload")
        #expect(received.map(\.outcome) == [.rejected("no text, blocks or attachments"), .rejected("body is not a JSON object")])
    }

    @Test("Discord answers 400 code 50006 to an empty message or one not sent as JSON, and 50035 to an oversized one")
    func discord() async throws {
        let fixture = try ChatSinkFixture()
        let empty = try await fixture.post(fixture.sink.discordURL(), #"{"username":"relay"}"#)
        let plain = try await fixture.post(fixture.sink.discordURL(), #"{"content":"hi"}"#, headers: ["Content-Type": "text/plain"])
        let long = try await fixture.post(fixture.sink.discordURL(), #"{"content":"\#(String(repeating: "y", count: 2001))"}"#)
        await fixture.finish()
        for reply in [empty, plain] {
            #expect(reply.status == 400)
            #expect(reply.json["code"] as? Int == 50006)
            #expect(reply.json["message"] as? String == "Cannot send an empty message")
        }
        #expect(long.status == 400)
        #expect(long.json["code"] as? Int == 50035)
        #expect((long.json["errors"] as? [String: Any])?["content"] != nil)
    }

    @Test("a Discord forum channel's webhook takes a message only as a new post (thread_name) or in one (thread_id), as Discord's error codes say")
    func discordForum() async throws {
        let fixture = try ChatSinkFixture()
        let forum = fixture.sink.discordURL(name: "forum", wait: true, forum: true)
        let text = fixture.sink.discordURL(name: "text", wait: true)
        let neither = try await fixture.post(forum, #"{"content":"hi"}"#)
        let both = try await fixture.post(forum + "&thread_id=1200000000000000001", #"{"content":"hi","thread_name":"Letters"}"#)
        let long = try await fixture.post(forum, #"{"content":"hi","thread_name":"\#(String(repeating: "é", count: 101))"}"#)
        let blank = try await fixture.post(forum, #"{"content":"hi","thread_name":"  "}"#)
        let named = try await fixture.post(forum, #"{"content":"hi","thread_name":"\#(String(repeating: "é", count: 100))"}"#)
        let inThread = try await fixture.post(forum + "&thread_id=1200000000000000001", #"{"content":"hi"}"#)
        let notForum = try await fixture.post(text, #"{"content":"hi","thread_name":"Letters"}"#)
        let plain = try await fixture.post(text, #"{"content":"hi"}"#)
        await fixture.finish()
        #expect(neither.status == 400)
        #expect(neither.json["code"] as? Int == 220001)
        #expect(neither.json["message"] as? String == "Webhooks posted to forum channels must have a thread_name or thread_id")
        #expect(both.status == 400)
        #expect(both.json["code"] as? Int == 220002)
        #expect(notForum.status == 400)
        #expect(notForum.json["code"] as? Int == 220003)
        #expect(notForum.json["message"] as? String == "Webhooks can only create threads in forum channels")
        for reply in [long, blank] {
            #expect(reply.status == 400)
            #expect(reply.json["code"] as? Int == 50035)
            #expect((reply.json["errors"] as? [String: Any])?["thread_name"] != nil)
        }
        #expect(named.status == 200)
        #expect(inThread.status == 200)
        #expect(inThread.json["channel_id"] as? String == "1200000000000000001")
        #expect(plain.status == 200)
        // A new post is a thread of its own: its channel is neither the forum's nor another post's.
        #expect(named.json["channel_id"] as? String != plain.json["channel_id"] as? String)
    }

    @Test("Google Chat answers INVALID_ARGUMENT to unknown fields and 401 to a wrong token")
    func googleChat() async throws {
        let fixture = try ChatSinkFixture()
        let unknown = try await fixture.post(fixture.sink.googleChatURL(), #"{"text":"hi","colour":"red"}"#)
        let url = fixture.sink.googleChatURL()
        let forged = try await fixture.post(String(url[..<url.range(of: "&token=")!.lowerBound]) + "&token=nope", ChatSinkSamples.googleChat)
        await fixture.finish()
        #expect(unknown.status == 400)
        let error = unknown.json["error"] as? [String: Any]
        #expect(error?["status"] as? String == "INVALID_ARGUMENT")
        #expect(error?["code"] as? Int == 400)
        #expect((error?["message"] as? String)?.contains("colour") == true)
        #expect(forged.status == 401)
        #expect((forged.json["error"] as? [String: Any])?["status"] as? String == "UNAUTHENTICATED")
    }

    @Test("Mattermost answers 400 AppError JSON to a message without text")
    func mattermost() async throws {
        let fixture = try ChatSinkFixture()
        let reply = try await fixture.post(fixture.sink.mattermostURL(), #"{"username":"relay"}"#)
        await fixture.finish()
        #expect(reply.status == 400)
        #expect(reply.json["id"] as? String == "web.incoming_webhook.text.app_error")
        #expect(reply.json["status_code"] as? Int == 400)
    }

    @Test("Matrix answers 401 M_UNKNOWN_TOKEN to a bad token, M_MISSING_TOKEN without one, 405 to POST")
    func matrix() async throws {
        let fixture = try ChatSinkFixture()
        let url = fixture.sink.matrixSendURL(txnId: "a1")
        let bad = try await fixture.putMatrix(url, ChatSinkSamples.matrix, token: "syt_wrong")
        let none = try await fixture.client.send("PUT", url, json: ChatSinkSamples.matrix)
        let posted = try await fixture.post(url, ChatSinkSamples.matrix)
        let notJSON = try await fixture.putMatrix(fixture.sink.matrixSendURL(txnId: "a2"), "hello")
        await fixture.finish()
        #expect(bad.status == 401)
        #expect(bad.json["errcode"] as? String == "M_UNKNOWN_TOKEN")
        #expect(none.status == 401)
        #expect(none.json["errcode"] as? String == "M_MISSING_TOKEN")
        #expect(posted.status == 405)
        #expect(notJSON.status == 400)
        #expect(notJSON.json["errcode"] as? String == "M_NOT_JSON")
    }
}
