import Foundation
import Testing
import PreservicaSimulator

@Suite("Chat sinks: recording and waiting")
struct ChatSinkRecordingTests {
    @Test("waitForMessages returns once enough messages arrived, including ones sent after it started")
    func waits() async throws {
        let fixture = try ChatSinkFixture()
        let sink = fixture.sink
        async let waited = sink.waitForMessages(count: 3, timeout: .seconds(30))
        for index in 0..<3 {
            _ = try await fixture.post(sink.slackURL(), #"{"text":"message \#(index)"}"#)
        }
        let messages = await waited
        await fixture.finish()
        #expect(messages.count == 3)
        #expect(messages.map { $0.json?.objectValue?["text"]?.stringValue } == ["message 0", "message 1", "message 2"])
    }

    @Test("waitForMessages filters by predicate and returns what arrived when it times out")
    func predicateAndTimeout() async throws {
        let fixture = try ChatSinkFixture()
        _ = try await fixture.post(fixture.sink.slackURL(), ChatSinkSamples.slack)
        _ = try await fixture.post(fixture.sink.discordURL(), ChatSinkSamples.discord)
        let discord = await fixture.sink.waitForMessages(count: 1, where: { $0.target == .discord })
        let partial = await fixture.sink.waitForMessages(count: 5, timeout: .milliseconds(200))
        await fixture.finish()
        #expect(discord.map(\.target) == [.discord])
        #expect(partial.count == 2)
    }

    @Test("messages record lowercased headers, the body, redacted credentials and the answer; clear() empties")
    func records() async throws {
        let fixture = try ChatSinkFixture()
        _ = try await fixture.post(fixture.sink.googleChatURL(), ChatSinkSamples.googleChat, headers: ["X-Relay-Event": "ingest"])
        _ = try await fixture.post("/not-a-service", "{}")
        let message = try #require(fixture.sink.received.first)
        let log = fixture.sink.requestLog
        fixture.sink.clear()
        let afterClear = fixture.sink.received
        await fixture.finish()
        #expect(message.target == .googleChat)
        #expect(message.headers["x-relay-event"] == "ingest")
        #expect(message.headers["content-type"] == "application/json")
        #expect(message.bodyText == ChatSinkSamples.googleChat)
        #expect(message.query["key"] == "REDACTED")
        #expect(message.query["token"] == "REDACTED")
        #expect(message.path == "/v1/spaces/AAAArelay/messages")
        #expect(message.status == 200)
        #expect(message.responseText.contains("spaces/AAAArelay/messages/"))
        #expect(log.count == 2)
        #expect(log.last == "POST /not-a-service")
        #expect(afterClear.isEmpty)
    }
}
