import Foundation
import Testing
import PreservicaSimulator

/// The sinks refuse what the real services refuse: Teams Workflows drops messages over about
/// 21 KB after answering 202, Discord answers 400 code 50035 to broken embed limits, Slack 400
/// `invalid_blocks` to broken Block Kit limits, and Discord's units follow the API version.
@Suite("Chat sinks: real limits and units")
struct ChatSinkLimitTests {
    /// A Workflows envelope of about `bytes` bytes.
    private func teamsEnvelope(bytes: Int) -> String {
        let head = #"{"type":"message","attachments":[{"contentType":"application/vnd.microsoft.card.adaptive","contentUrl":null,"content":{"type":"AdaptiveCard","version":"1.4","body":[{"type":"TextBlock","text":""#
        let tail = #""}]}}]}"#
        return head + String(repeating: "x", count: bytes - head.utf8.count - tail.utf8.count) + tail
    }

    @Test("Teams Workflows answers 202 to a 22 KB card but the flow drops it; 20,000 bytes is shown")
    func teamsDropsOver21KB() async throws {
        let fixture = try ChatSinkFixture()
        let large = try await fixture.post(fixture.sink.teamsWorkflowURL(), teamsEnvelope(bytes: 22_000))
        let fits = try await fixture.post(fixture.sink.teamsWorkflowURL(), teamsEnvelope(bytes: 20_000))
        let received = fixture.sink.received
        await fixture.finish()
        #expect(large.status == 202 && fits.status == 202)
        guard case .silentlyFailed(let why) = received.first?.outcome else {
            Issue.record("a 22 KB card must be recorded as dropped, not \(String(describing: received.first?.outcome))")
            return
        }
        #expect(why.contains("Request Entity too large"))
        #expect(received.last?.outcome == .delivered)
        #expect(fixture.sink.delivered.count == 1)
    }

    @Test("Discord answers 400 code 50035 with the path of the broken embed limit", arguments: [
        (#"{"embeds":[{"title":"\#(String(repeating: "t", count: 257))"}]}"#, ["embeds", "0", "title"], "BASE_TYPE_MAX_LENGTH"),
        (#"{"embeds":[{"description":"\#(String(repeating: "d", count: 4_097))"}]}"#, ["embeds", "0", "description"], "BASE_TYPE_MAX_LENGTH"),
        (#"{"embeds":[{"title":"t","fields":[\#(Array(repeating: #"{"name":"n","value":"v"}"#, count: 26).joined(separator: ","))]}]}"#,
         ["embeds", "0", "fields"], "BASE_TYPE_MAX_LENGTH"),
        (#"{"embeds":[{"title":"t","fields":[{"name":"n","value":"\#(String(repeating: "v", count: 1_025))"}]}]}"#,
         ["embeds", "0", "fields", "0", "value"], "BASE_TYPE_MAX_LENGTH"),
        (#"{"embeds":[\#(Array(repeating: #"{"description":"\#(String(repeating: "é", count: 1_300))"}"#, count: 5).joined(separator: ","))]}"#,
         ["embeds"], "MAX_EMBED_SIZE_EXCEEDED"),
        (#"{"embeds":[\#(Array(repeating: #"{"title":"t"}"#, count: 11).joined(separator: ","))]}"#, ["embeds"], "BASE_TYPE_MAX_LENGTH"),
    ])
    func discordEmbedLimits(body: String, path: [String], code: String) async throws {
        let fixture = try ChatSinkFixture()
        let reply = try await fixture.post(fixture.sink.discordURL(), body)
        let received = fixture.sink.received
        await fixture.finish()
        #expect(reply.status == 400)
        #expect(reply.json["code"] as? Int == 50035)
        #expect(reply.json["message"] as? String == "Invalid Form Body")
        var node: Any? = reply.json["errors"]
        for key in path { node = (node as? [String: Any])?[key] }
        let errors = (node as? [String: Any])?["_errors"] as? [[String: Any]]
        #expect(errors?.first?["code"] as? String == code, "errors at \(path.joined(separator: ".")): \(reply.text)")
        #expect(fixture.sink.delivered.isEmpty)
        guard case .rejected = received.first?.outcome else {
            Issue.record("recorded as \(String(describing: received.first?.outcome))")
            return
        }
    }

    @Test("Discord takes embeds right at every limit")
    func discordAtTheLimits() async throws {
        let fixture = try ChatSinkFixture()
        let fields = Array(repeating: #"{"name":"\#(String(repeating: "n", count: 40))","value":"\#(String(repeating: "v", count: 100))"}"#, count: 25)
        let body = #"{"embeds":[{"title":"\#(String(repeating: "t", count: 256))","description":"\#(String(repeating: "d", count: 2_000))","fields":[\#(fields.joined(separator: ","))]}]}"#
        let reply = try await fixture.post(fixture.sink.discordURL(), body)
        await fixture.finish()
        #expect(reply.status == 204, "\(reply.text)")
    }

    @Test("Slack answers 400 invalid_blocks to each broken Block Kit limit", arguments: [
        #"{"text":"t","blocks":[{"type":"header","text":{"type":"plain_text","text":"\#(String(repeating: "h", count: 151))"}}]}"#,
        #"{"text":"t","blocks":[{"type":"section","text":{"type":"mrkdwn","text":"\#(String(repeating: "s", count: 3_001))"}}]}"#,
        #"{"text":"t","blocks":[{"type":"section","fields":[\#(Array(repeating: #"{"type":"mrkdwn","text":"f"}"#, count: 11).joined(separator: ","))]}]}"#,
        #"{"text":"t","blocks":[{"type":"section","fields":[{"type":"mrkdwn","text":"\#(String(repeating: "f", count: 2_001))"}]}]}"#,
        #"{"text":"t","attachments":[{"blocks":[\#(Array(repeating: #"{"type":"divider"}"#, count: 51).joined(separator: ","))]}]}"#,
    ])
    func slackBlockLimits(body: String) async throws {
        let fixture = try ChatSinkFixture()
        let reply = try await fixture.post(fixture.sink.slackURL(), body)
        await fixture.finish()
        #expect(reply.status == 400)
        #expect(reply.text == "invalid_blocks")
        #expect(fixture.sink.delivered.isEmpty)
    }

    @Test("Slack takes blocks right at the limits")
    func slackAtTheLimits() async throws {
        let fixture = try ChatSinkFixture()
        let body = #"{"text":"t","blocks":[{"type":"header","text":{"type":"plain_text","text":"\#(String(repeating: "h", count: 150))"}},"#
            + #"{"type":"section","text":{"type":"mrkdwn","text":"\#(String(repeating: "s", count: 3_000))"},"#
            + #""fields":[\#(Array(repeating: #"{"type":"mrkdwn","text":"\#(String(repeating: "f", count: 200))"}"#, count: 10).joined(separator: ","))]}]}"#
        let reply = try await fixture.post(fixture.sink.slackURL(), body)
        await fixture.finish()
        #expect(reply.status == 200 && reply.text == "ok")
    }

    @Test("a Discord 429 is in milliseconds on the unversioned route and in seconds on /api/v10")
    func discordUnitsByVersion() async throws {
        let fixture = try ChatSinkFixture()
        fixture.sink.script(.discord, replies: [.discordThrottled(retryAfter: 1.5), .discordThrottled(retryAfter: 1.5)])
        let unversioned = try await fixture.post(fixture.sink.discordURL(), ChatSinkSamples.discord)
        let versioned = try await fixture.post(fixture.sink.discordURL(apiVersion: 10), ChatSinkSamples.discord)
        let next = try await fixture.post(fixture.sink.discordURL(apiVersion: 10), ChatSinkSamples.discord)
        await fixture.finish()
        #expect(unversioned.status == 429)
        #expect(unversioned.json["retry_after"] as? Int == 1500)
        #expect(unversioned.header("Retry-After") == "1500")
        #expect(unversioned.header("X-RateLimit-Reset-After") == "2")
        #expect(versioned.status == 429)
        #expect(versioned.json["retry_after"] as? Double == 1.5)
        #expect(versioned.header("Retry-After") == "2")
        #expect(versioned.header("X-RateLimit-Reset-After") == "1.500")
        #expect(next.status == 204)
        #expect(next.header("X-RateLimit-Reset-After") == "1.000")
    }

    @Test("Discord's reset headers are whole seconds on the unversioned route")
    func discordResetHeadersByVersion() async throws {
        let fixture = try ChatSinkFixture()
        let unversioned = try await fixture.post(fixture.sink.discordURL(), ChatSinkSamples.discord)
        let versioned = try await fixture.post(fixture.sink.discordURL(apiVersion: 10), ChatSinkSamples.discord)
        await fixture.finish()
        #expect(unversioned.header("X-RateLimit-Reset-After") == "1")
        #expect(unversioned.header("X-RateLimit-Reset")?.contains(".") == false)
        #expect(versioned.header("X-RateLimit-Reset-After") == "1.000")
    }

    @Test("Matrix measures the event as the server stores it: content under 65,536 bytes is refused once the server's fields take it over")
    func matrixEventSize() async throws {
        let fixture = try ChatSinkFixture()
        func content(_ bytes: Int) -> String {
            let frame = #"{"msgtype":"m.notice","body":""}"#
            return #"{"msgtype":"m.notice","body":"\#(String(repeating: "b", count: bytes - frame.utf8.count))"}"#
        }
        let near = try await fixture.putMatrix(fixture.sink.matrixSendURL(txnId: "near"), content(65_400))
        let fits = try await fixture.putMatrix(fixture.sink.matrixSendURL(txnId: "fits"), content(64_000))
        await fixture.finish()
        #expect(near.status == 413, "\(near.text)")
        #expect(near.text.contains("M_TOO_LARGE"))
        #expect(fits.status == 200, "\(fits.text)")
    }
}
