import Foundation
import Testing
import PreservicaSimulator

@Suite("Chat sinks: scripted throttling and failures")
struct ChatSinkScriptTests {
    @Test("the next two Slack posts get 429 with Retry-After: 1, then ok")
    func slackThrottle() async throws {
        let fixture = try ChatSinkFixture()
        fixture.sink.script(.slack, replies: Array(repeating: .slackThrottled(retryAfter: 1), count: 2))
        var replies: [Exchange] = []
        for _ in 0..<3 { replies.append(try await fixture.post(fixture.sink.slackURL(), ChatSinkSamples.slack)) }
        let received = fixture.sink.received
        await fixture.finish()
        #expect(replies.map(\.status) == [Int]([429, 429, 200]))
        #expect(replies[0].header("Retry-After") == "1")
        #expect(replies[1].header("Retry-After") == "1")
        #expect(replies[2].text == "ok")
        #expect(received.map(\.outcome) == [.scripted, .scripted, .delivered])
    }

    @Test("Discord throttles with retry_after 0.25 in the body and the rate-limit headers (API v10)")
    func discordThrottle() async throws {
        let fixture = try ChatSinkFixture()
        fixture.sink.script(.discord, replies: [.discordThrottled(retryAfter: 0.25)])
        let throttled = try await fixture.post(fixture.sink.discordURL(apiVersion: 10), ChatSinkSamples.discord)
        let next = try await fixture.post(fixture.sink.discordURL(apiVersion: 10), ChatSinkSamples.discord)
        await fixture.finish()
        #expect(throttled.status == 429)
        #expect(throttled.json["retry_after"] as? Double == 0.25)
        #expect(throttled.json["global"] as? Bool == false)
        #expect(throttled.json["message"] as? String == "You are being rate limited.")
        #expect(throttled.header("Retry-After") == "1")
        #expect(throttled.header("X-RateLimit-Remaining") == "0")
        #expect(throttled.header("X-RateLimit-Reset-After") == "0.250")
        #expect(throttled.header("X-RateLimit-Scope") == "user")
        #expect(throttled.header("X-RateLimit-Bucket") != nil)
        #expect(next.status == 204)
    }

    @Test("the Teams connector reports throttling as 200 with 'HTTP error 429' text")
    func connectorThrottle() async throws {
        let fixture = try ChatSinkFixture()
        fixture.sink.script(.teamsConnector, replies: [.teamsConnectorError(httpError: 429)])
        let throttled = try await fixture.post(fixture.sink.teamsConnectorURL(), ChatSinkSamples.messageCard)
        let next = try await fixture.post(fixture.sink.teamsConnectorURL(), ChatSinkSamples.messageCard)
        await fixture.finish()
        #expect(throttled.status == 200)
        #expect(throttled.text.hasPrefix("Webhook message delivery failed with error: Microsoft Teams endpoint returned HTTP error 429 with ContextId"))
        #expect(next.text == "1")
    }

    @Test("Teams answers 500 once, then 202; a Workflows 429 carries Retry-After and Logic Apps JSON")
    func teamsFailures() async throws {
        let fixture = try ChatSinkFixture()
        fixture.sink.script(.teams, replies: [.teamsWorkflowsServerError(500), .teamsWorkflowsThrottled(retryAfter: 3)])
        var replies: [Exchange] = []
        for _ in 0..<3 { replies.append(try await fixture.post(fixture.sink.teamsWorkflowURL(), ChatSinkSamples.adaptiveEnvelope)) }
        await fixture.finish()
        #expect(replies.map(\.status) == [Int]([500, 429, 202]))
        #expect((replies[0].json["error"] as? [String: Any])?["code"] as? String == "InternalServerError")
        #expect(replies[1].header("Retry-After") == "3")
        #expect((replies[1].json["error"] as? [String: Any])?["code"] != nil)
    }

    @Test("an archived Slack URL answers 410 channel_is_archived for good; other Slack URLs are unaffected")
    func slackArchived() async throws {
        let fixture = try ChatSinkFixture()
        let archived = fixture.sink.slackURL(channel: "old")
        let path = String(archived.dropFirst(fixture.sink.baseURL.count))
        fixture.sink.script(.slack, path: path, replies: [.slackChannelArchived], repeatingLast: true)
        let first = try await fixture.post(archived, ChatSinkSamples.slack)
        let second = try await fixture.post(archived, ChatSinkSamples.slack)
        let other = try await fixture.post(fixture.sink.slackURL(channel: "new"), ChatSinkSamples.slack)
        fixture.sink.clearScripts()
        let afterClear = try await fixture.post(archived, ChatSinkSamples.slack)
        await fixture.finish()
        #expect([first.status, second.status] == [Int]([410, 410]))
        #expect(first.text == "channel_is_archived")
        #expect(second.text == "channel_is_archived")
        #expect(other.status == 200)
        #expect(afterClear.status == 200)
    }

    @Test("Google Chat throttling and Discord's dead webhook use the services' error JSON")
    func otherErrors() async throws {
        let fixture = try ChatSinkFixture()
        fixture.sink.script(.googleChat, replies: [.googleChatThrottled])
        fixture.sink.script(.discord, replies: [.discordUnknownWebhook])
        fixture.sink.script(.mattermost, replies: [.mattermostThrottled(retryAfter: 2)])
        let google = try await fixture.post(fixture.sink.googleChatURL(), ChatSinkSamples.googleChat)
        let discord = try await fixture.post(fixture.sink.discordURL(), ChatSinkSamples.discord)
        let mattermost = try await fixture.post(fixture.sink.mattermostURL(), ChatSinkSamples.mattermost)
        await fixture.finish()
        #expect(google.status == 429)
        #expect((google.json["error"] as? [String: Any])?["status"] as? String == "RESOURCE_EXHAUSTED")
        #expect(discord.status == 404)
        #expect(discord.json["code"] as? Int == 10015)
        #expect(discord.json["message"] as? String == "Unknown Webhook")
        #expect(mattermost.status == 429)
        #expect(mattermost.header("X-Ratelimit-Remaining") == "0")
    }
}
