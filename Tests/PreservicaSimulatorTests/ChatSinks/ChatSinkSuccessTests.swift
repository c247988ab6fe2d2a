import Foundation
import Testing
import JSON
import PreservicaSimulator

@Suite("Chat sinks: success replies")
struct ChatSinkSuccessTests {
    @Test("Teams Workflows answers 202 with an empty body to the Adaptive Card envelope")
    func teamsWorkflows() async throws {
        let fixture = try ChatSinkFixture()
        let reply = try await fixture.post(fixture.sink.teamsWorkflowURL(), ChatSinkSamples.adaptiveEnvelope)
        let received = fixture.sink.received
        await fixture.finish()
        #expect(reply.status == 202)
        #expect(reply.body.isEmpty)
        #expect(received.map(\.target) == [.teams])
        #expect(received.first?.outcome == .delivered)
        #expect(received.first?.query["sig"] == "REDACTED")
        #expect(received.first?.query["api-version"] == "1")
        #expect(received.first?.path.hasSuffix("/triggers/manual/paths/invoke") == true)
        #expect(received.first?.json?.objectValue?["type"] == .string("message"))
    }

    @Test("the Teams connector answers 200 with body 1")
    func teamsConnector() async throws {
        let fixture = try ChatSinkFixture()
        let reply = try await fixture.post(fixture.sink.teamsConnectorURL(), ChatSinkSamples.messageCard)
        let received = fixture.sink.received
        await fixture.finish()
        #expect(reply.status == 200)
        #expect(reply.text == "1")
        #expect(received.map(\.target) == [.teamsConnector])
        #expect(received.first?.isDelivered == true)
    }

    @Test("Slack and Mattermost answer 200 ok, Slack also to a form payload")
    func slackAndMattermost() async throws {
        let fixture = try ChatSinkFixture()
        let slack = try await fixture.post(fixture.sink.slackURL(), ChatSinkSamples.slack)
        let form = try await fixture.client.send("POST", fixture.sink.slackURL(), form: ["payload": #"{"text":"via form"}"#])
        let mattermost = try await fixture.post(fixture.sink.mattermostURL(), ChatSinkSamples.mattermost)
        let received = fixture.sink.received
        await fixture.finish()
        #expect([slack.status, form.status, mattermost.status] == [Int](repeating: 200, count: 3))
        #expect([slack.text, form.text, mattermost.text] == [String](repeating: "ok", count: 3))
        #expect(received.map(\.target) == [.slack, .slack, .mattermost])
        #expect(received[1].json?.objectValue?["text"] == .string("via form"))
        #expect(received.filter { !$0.isDelivered }.isEmpty)
    }

    @Test("Google Chat answers 200 with the message's name, thread and what was sent, and threadKey replies land in one thread")
    func googleChat() async throws {
        let fixture = try ChatSinkFixture()
        let url = fixture.sink.googleChatURL(space: "AAAAspace")
        let plain = try await fixture.post(url, ChatSinkSamples.googleChat)
        let threaded = #"{"text":"update","thread":{"threadKey":"asset-1"}}"#
        let first = try await fixture.post(url + "&messageReplyOption=REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD", threaded)
        let second = try await fixture.post(url + "&messageReplyOption=REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD", threaded)
        // REPLY_MESSAGE_OR_FAIL: a new threadKey starts a thread; only a thread name that does not exist is NOT_FOUND.
        let newKey = try await fixture.post(url + "&messageReplyOption=REPLY_MESSAGE_OR_FAIL", #"{"text":"x","thread":{"threadKey":"asset-2"}}"#)
        let unknownName = try await fixture.post(url + "&messageReplyOption=REPLY_MESSAGE_OR_FAIL",
                                                 #"{"text":"x","thread":{"name":"spaces/AAAAspace/threads/nosuchthread"}}"#)
        await fixture.finish()
        #expect(newKey.status == 200)
        #expect(unknownName.status == 404)
        #expect(plain.status == 200)
        #expect(plain.header("Content-Type")?.hasPrefix("application/json") == true)
        #expect((plain.json["name"] as? String)?.hasPrefix("spaces/AAAAspace/messages/") == true)
        #expect(plain.json["text"] as? String == "Asset ingested")
        // A webhook's answer holds the name and thread.name, and what was sent: nothing else.
        #expect(plain.json["createTime"] == nil)
        #expect(plain.json["sender"] == nil)
        #expect(plain.json["space"] == nil)
        let firstThread = (first.json["thread"] as? [String: Any])?["name"] as? String
        let secondThread = (second.json["thread"] as? [String: Any])?["name"] as? String
        #expect(firstThread != nil)
        #expect(firstThread == secondThread)
        #expect(first.json["name"] as? String != second.json["name"] as? String)
    }

    @Test("Discord answers 204, or 200 with the message object and rate-limit headers when wait=true")
    func discord() async throws {
        let fixture = try ChatSinkFixture()
        let quiet = try await fixture.post(fixture.sink.discordURL(), ChatSinkSamples.discord)
        let waited = try await fixture.post(fixture.sink.discordURL(wait: true), ChatSinkSamples.discord)
        let received = fixture.sink.received
        await fixture.finish()
        #expect(quiet.status == 204)
        #expect(quiet.body.isEmpty)
        #expect(quiet.header("X-RateLimit-Limit") == "5")
        #expect(waited.status == 200)
        #expect(waited.json["content"] as? String == "Asset ingested")
        #expect((waited.json["id"] as? String)?.allSatisfy(\.isNumber) == true)
        #expect(waited.json["webhook_id"] as? String == received.last?.path.split(separator: "/")[2].description)
        #expect(waited.header("X-RateLimit-Remaining") != nil)
        #expect(received.last?.query == ["wait": "true"])
    }

    @Test("Matrix answers 200 with an event id to a PUT with the bearer token")
    func matrix() async throws {
        let fixture = try ChatSinkFixture()
        let reply = try await fixture.putMatrix(fixture.sink.matrixSendURL(roomId: "!room:example.org", txnId: "t1"),
                                                ChatSinkSamples.matrix)
        let received = fixture.sink.received
        await fixture.finish()
        #expect(reply.status == 200)
        #expect((reply.json["event_id"] as? String)?.hasPrefix("$") == true)
        #expect(reply.json.count == 1)
        #expect(received.first?.target == .matrix)
        #expect(received.first?.method == "PUT")
        #expect(received.first?.headers["authorization"]?.hasPrefix("Bearer ") == true)
        #expect(received.first?.path == "/_matrix/client/v3/rooms/%21room%3Aexample.org/send/m.room.message/t1")
    }

    @Test("a generic webhook without a secret answers 200")
    func genericWebhook() async throws {
        let fixture = try ChatSinkFixture()
        let reply = try await fixture.post(fixture.sink.webhookURL(name: "archive-team"), ChatSinkSamples.webhook)
        let received = fixture.sink.received
        await fixture.finish()
        #expect(reply.status == 200)
        #expect(received.map(\.target) == [.webhook])
        #expect(received.first?.path == "/hooks/generic/archive-team")
        #expect(received.first?.bodyText == ChatSinkSamples.webhook)
    }

    @Test("every target's default URL reaches that target")
    func everyTarget() async throws {
        let fixture = try ChatSinkFixture()
        for target in ChatSinkTarget.allCases {
            let body = switch target {
            case .teams: ChatSinkSamples.adaptiveEnvelope
            case .teamsConnector: ChatSinkSamples.messageCard
            case .slack: ChatSinkSamples.slack
            case .googleChat: ChatSinkSamples.googleChat
            case .discord: ChatSinkSamples.discord
            case .mattermost: ChatSinkSamples.mattermost
            case .matrix: ChatSinkSamples.matrix
            case .webhook: ChatSinkSamples.webhook
            }
            _ = target == .matrix ? try await fixture.putMatrix(fixture.sink.url(for: target), body)
                                  : try await fixture.post(fixture.sink.url(for: target), body)
        }
        let received = fixture.sink.received
        let unknown = try await fixture.post("/nowhere", "{}")
        await fixture.finish()
        #expect(received.map(\.target) == ChatSinkTarget.allCases)
        #expect(received.map(\.status) == [Int]([202, 200, 200, 200, 204, 200, 200, 200]))
        #expect(received.filter { !$0.isDelivered }.isEmpty)
        #expect(unknown.status == 404)
    }
}
