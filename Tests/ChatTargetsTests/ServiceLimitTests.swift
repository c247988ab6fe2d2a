import Foundation
import Testing
import ChatTargets
import JSON
import OutboundHTTP

/// What each service allows, as ChatTargets states it: structure rules, pace, API versions, hosts.
@Suite("Service limits, paces, versions and hosts")
struct ServiceLimitTests {
    private func json(_ text: String) throws -> JSONValue { try JSONParser.parse(text) }
    private func reply(_ status: Int, _ body: String = "", headers: [String: String] = [:]) -> OutboundReply {
        OutboundReply(status: status, headers: headers, body: Array(body.utf8))
    }

    @Test("Discord: every embed limit is a problem; a body right at the limits is none")
    func discordRules() throws {
        let discord = ChatTargetKind.discord
        let fields = Array(repeating: #"{"name":"n","value":"v"}"#, count: 25).joined(separator: ",")
        #expect(discord.problems(in: try json(#"{"embeds":[{"title":"\#(String(repeating: "t", count: 256))","fields":[\#(fields)]}]}"#)).isEmpty)
        let broken: [String] = [
            #"{"embeds":[{"title":"\#(String(repeating: "t", count: 257))"}]}"#,
            #"{"embeds":[{"description":"\#(String(repeating: "d", count: 4_097))"}]}"#,
            #"{"embeds":[{"fields":[\#(fields),{"name":"n","value":"v"}]}]}"#,
            #"{"embeds":[{"fields":[{"name":"\#(String(repeating: "n", count: 257))","value":"v"}]}]}"#,
            #"{"embeds":[{"fields":[{"name":"n","value":"\#(String(repeating: "v", count: 1_025))"}]}]}"#,
            #"{"embeds":[\#(Array(repeating: #"{"description":"\#(String(repeating: "d", count: 1_500))"}"#, count: 5).joined(separator: ","))]}"#,
            #"{"embeds":[\#(Array(repeating: #"{"title":"t"}"#, count: 11).joined(separator: ","))]}"#,
            #"{"content":"\#(String(repeating: "c", count: 2_001))"}"#,
        ]
        for body in broken {
            #expect(!discord.problems(in: try json(body)).isEmpty, "\(body.prefix(60))")
        }
        // Characters beyond the Basic Multilingual Plane count twice, the strictest reading.
        #expect(!discord.problems(in: try json(#"{"embeds":[{"title":"\#(String(repeating: "📜", count: 129))"}]}"#)).isEmpty)
    }

    @Test("Slack: every Block Kit limit is a problem, in blocks and in attachments")
    func slackRules() throws {
        let slack = ChatTargetKind.slack
        let ok = #"{"text":"t","blocks":[{"type":"header","text":{"type":"plain_text","text":"\#(String(repeating: "h", count: 150))"}}]}"#
        #expect(slack.problems(in: try json(ok)).isEmpty)
        let broken: [String] = [
            #"{"blocks":[{"type":"header","text":{"type":"plain_text","text":"\#(String(repeating: "h", count: 151))"}}]}"#,
            #"{"blocks":[{"type":"section","text":{"type":"mrkdwn","text":"\#(String(repeating: "s", count: 3_001))"}}]}"#,
            #"{"blocks":[{"type":"section","fields":[\#(Array(repeating: #"{"type":"mrkdwn","text":"f"}"#, count: 11).joined(separator: ","))]}]}"#,
            #"{"blocks":[{"type":"section","fields":[{"type":"mrkdwn","text":"\#(String(repeating: "f", count: 2_001))"}]}]}"#,
            #"{"attachments":[{"blocks":[\#(Array(repeating: #"{"type":"divider"}"#, count: 51).joined(separator: ","))]}]}"#,
        ]
        for body in broken {
            #expect(!slack.problems(in: try json(body)).isEmpty, "\(body.prefix(60))")
        }
    }

    @Test("bytes: Teams 20,000, Google Chat 32,000, the generic webhook 1 MiB")
    func byteLimits() throws {
        func text(_ bytes: Int) -> JSONValue { .object(JSONObject([("text", .string(String(repeating: "x", count: bytes - 11)))])) }
        #expect(ChatTargetKind.teams.problems(in: text(20_000)).isEmpty)
        #expect(ChatTargetKind.teams.problems(in: text(20_001)) == ["20001 bytes, over the 20000-byte limit"])
        #expect(ChatTargetKind.googleChat.problems(in: text(32_000)).isEmpty)
        #expect(!ChatTargetKind.googleChat.problems(in: text(32_001)).isEmpty)
        #expect(ChatTargetKind.webhook.problems(in: text(1_048_576)).isEmpty)
        #expect(!ChatTargetKind.webhook.problems(in: text(1_048_577)).isEmpty)
    }

    @Test("every service has a default pace; Matrix keeps under Synapse's default; a set rateLimit replaces them")
    func paces() {
        #expect(ChatTargetKind.allCases.allSatisfy { kind in
            !kind.defaultPaces.isEmpty && kind.defaultPaces.allSatisfy { $0.perSecond > 0 && $0.burst >= 1 }
        })
        // Synapse's default rc_message: 0.2 a second after a burst of 10.
        #expect(ChatTargetKind.matrix.defaultPaces.count == 1)
        #expect(ChatTargetKind.matrix.defaultPaces.allSatisfy { $0.perSecond < 0.2 && $0.burst <= 10 })
        #expect(ChatTargetKind.teams.paces(rateLimit: 10) == [PostPace(perSecond: 10, burst: 10)])
        #expect(ChatTargetKind.slack.paces(rateLimit: 0.5) == [PostPace(perSecond: 0.5, burst: 1)])
        #expect(ChatTargetKind.slack.paces(rateLimit: nil) == ChatTargetKind.slack.defaultPaces)
    }

    @Test("channels share a pace where the service counts them together: one Matrix account, one Google Chat space, one webhook")
    func paceScopes() throws {
        func scope(_ kind: ChatTargetKind, _ url: String, token: String? = nil) throws -> String {
            kind.paceScope(of: ChatDestination(url: try #require(URL(string: url)), room: "!r:x", token: token))
        }
        #expect(try scope(.matrix, "https://matrix.example", token: "syt_a") == scope(.matrix, "https://matrix.example", token: "syt_a"))
        #expect(try scope(.matrix, "https://matrix.example", token: "syt_a") != scope(.matrix, "https://matrix.example", token: "syt_b"))
        #expect(try !scope(.matrix, "https://matrix.example", token: "syt_a").contains("syt_a"), "no key in a scope")
        #expect(try scope(.googleChat, "https://chat.googleapis.com/v1/spaces/AAA/messages?key=k1&token=t1")
                == scope(.googleChat, "https://chat.googleapis.com/v1/spaces/AAA/messages?key=k2&token=t2"))
        #expect(try scope(.googleChat, "https://chat.googleapis.com/v1/spaces/AAA/messages?key=k&token=t")
                != scope(.googleChat, "https://chat.googleapis.com/v1/spaces/BBB/messages?key=k&token=t"))
        #expect(try scope(.slack, "https://hooks.slack.com/services/T/B/one") != scope(.slack, "https://hooks.slack.com/services/T/B/two"))
        #expect(try !scope(.slack, "https://hooks.slack.com/services/T/B/secretpart").contains("secretpart"))
    }

    @Test("a documented window counts the posts less than its length apart")
    func windows() {
        let twoASecond = PostWindow(posts: 2, seconds: 1)
        #expect(twoASecond.allows([0, 0.5, 1.0, 1.5, 2.0]))
        #expect(!twoASecond.allows([0, 0.5, 0.99]))
        #expect(twoASecond.allows([]))
        #expect(!PostWindow(posts: 60, seconds: 30).allows((0..<61).map { Double($0) * 0.49 }))
    }

    @Test("Discord posts to API v10 and reads waits by the version it posted to")
    func discordVersions() throws {
        let discord = ChatTargetKind.discord.target
        let handedOut = try #require(URL(string: "https://discord.com/api/webhooks/123/tok-en?wait=true"))
        let request = discord.request(body: [], to: ChatDestination(url: handedOut), deliveryId: "x", timeout: .seconds(5))
        #expect(request.url.absoluteString == "https://discord.com/api/v10/webhooks/123/tok-en?wait=true")
        let old = try #require(URL(string: "https://discord.com/api/v6/webhooks/123/tok"))
        #expect(discord.request(body: [], to: ChatDestination(url: old), deliveryId: "x", timeout: .seconds(5)).url.path == "/api/v10/webhooks/123/tok")
        let pinned = try #require(URL(string: "https://discord.com/api/v9/webhooks/123/tok"))
        // A pinned version is kept; `wait=true` is always asked for (and replaces a `wait=false`).
        #expect(discord.request(body: [], to: ChatDestination(url: pinned), deliveryId: "x", timeout: .seconds(5)).url.absoluteString
            == "https://discord.com/api/v9/webhooks/123/tok?wait=true")
        let thread = try #require(URL(string: "https://discord.com/api/webhooks/123/tok?thread_id=42&wait=false"))
        #expect(discord.request(body: [], to: ChatDestination(url: thread), deliveryId: "x", timeout: .seconds(5)).url.absoluteString
            == "https://discord.com/api/v10/webhooks/123/tok?thread_id=42&wait=true")

        let v6 = OutboundRequest(method: "POST", url: handedOut, headers: [:], body: [], timeout: .seconds(5))
        let throttled = reply(429, #"{"message":"You are being rate limited.","retry_after":1500,"global":false}"#, headers: ["retry-after": "1500"])
        #expect(discord.outcome(of: throttled, to: v6) == .retry(after: .milliseconds(1500), reason: "Discord rate limit"))
        #expect(discord.outcome(of: reply(429, "", headers: ["retry-after": "1500"]), to: v6) == .retry(after: .milliseconds(1500), reason: "Discord rate limit"))
        let v10 = OutboundRequest(method: "POST", url: request.url, headers: [:], body: [], timeout: .seconds(5))
        #expect(discord.outcome(of: reply(429, #"{"retry_after":1.5}"#), to: v10) == .retry(after: .milliseconds(1500), reason: "Discord rate limit"))
    }

    @Test("Discord 50035 and Slack's block errors refuse the card's structure; other 400s are permanent")
    func structuralRefusals() {
        guard case .invalidPayload = ChatTargetKind.discord.target.outcome(of: reply(400, #"{"message":"Invalid Form Body","code":50035,"errors":{}}"#)) else {
            Issue.record("50035 must read as an invalid payload")
            return
        }
        guard case .rejected = ChatTargetKind.discord.target.outcome(of: reply(400, #"{"message":"Cannot send an empty message","code":50006}"#)) else {
            Issue.record("50006 must be permanent")
            return
        }
        #expect(ChatTargetKind.slack.target.outcome(of: reply(400, "invalid_blocks")) == .invalidPayload(reason: "Slack answered 400 invalid_blocks"))
        guard case .rejected = ChatTargetKind.slack.target.outcome(of: reply(400, "invalid_payload")) else {
            Issue.record("invalid_payload must be permanent")
            return
        }
    }

    @Test("Teams URLs on the old Logic Apps host are warned about; Power Platform URLs are not")
    func teamsHosts() {
        #expect(ChatTargetKind.teams.urlWarning(host: "prod-12.westeurope.logic.azure.com")?.contains("environment.api.powerplatform.com") == true)
        #expect(ChatTargetKind.teams.urlWarning(host: "0f1e2d3c.a1.environment.api.powerplatform.com") == nil)
        #expect(ChatTargetKind.teams.urlWarning(host: "example.org") != nil)
        #expect(ChatTargetKind.slack.urlWarning(host: "hooks.slack.com") == nil)
    }

    @Test("an over-long Slack header or Discord title is cut to its own limit by code units, never inside an escape, the rest kept")
    func fieldCuts() {
        func header(_ text: String) -> JSONValue {
            .object(JSONObject([("blocks", .array([
                .object(JSONObject([("type", .string("header")), ("text", .object(JSONObject([("type", .string("plain_text")), ("text", .string(text))])))])),
                .object(JSONObject([("type", .string("section")), ("text", .object(JSONObject([("type", .string("mrkdwn")), ("text", .string("kept"))])))])),
            ]))]))
        }
        func headerText(_ body: JSONValue) -> String {
            body.objectValue?["blocks"]?.arrayValue?.first?.objectValue?["text"]?.objectValue?["text"]?.stringValue ?? ""
        }
        // 146 letters, then an entity across the limit: the cut drops the whole entity.
        let entity = ChatTargetKind.slack.fitted(header(String(repeating: "a", count: 146) + "&amp;&amp;"))
        #expect(headerText(entity) == String(repeating: "a", count: 146) + "…")
        #expect(ChatTargetKind.slack.problems(in: entity).isEmpty)
        // One letter under 300 stacked marks is cut between its scalars.
        let stacked = ChatTargetKind.slack.fitted(header("Z" + String(repeating: "\u{301}", count: 300)))
        #expect(headerText(stacked).utf16.count == 150)
        #expect(headerText(stacked).unicodeScalars.starts(with: "Z\u{301}\u{301}".unicodeScalars))
        #expect(stacked.objectValue?["blocks"]?.arrayValue?.last == header("").objectValue?["blocks"]?.arrayValue?.last)
        // Devanagari: whole characters as a reader sees them.
        let hindi = String(repeating: "हिन्दी ", count: 40)
        let cut = headerText(ChatTargetKind.slack.fitted(header(hindi)))
        #expect(cut.utf16.count <= 150 && cut.hasSuffix("…"))
        #expect(hindi.hasPrefix(String(cut.dropLast())))
        // Discord: a lone escaping backslash at the cut goes too.
        let embed = JSONValue.object(JSONObject([("embeds", .array([.object(JSONObject([("title", .string(String(repeating: "b", count: 254) + "\\_x"))]))]))]))
        let title = ChatTargetKind.discord.fitted(embed).objectValue?["embeds"]?.arrayValue?.first?.objectValue?["title"]?.stringValue
        #expect(title == String(repeating: "b", count: 254) + "…")
    }

    @Test("Discord: a blank field name or value is a problem and is filled with a dash; a number is left as it is")
    func discordBlankFields() {
        func field(_ name: JSONValue?, _ value: JSONValue?) -> JSONValue {
            .object(JSONObject([("name", name), ("value", value)].compactMap { key, item in item.map { (key, $0) } }))
        }
        let fields: [JSONValue] = [field(.string(""), .string("1 KB")), field(.string("a.tif"), .string(" \n")),
                                   field(nil, .null), field(.string("Files"), .number(3))]
        let body = JSONValue.object(JSONObject([("embeds", .array([.object(JSONObject([("fields", .array(fields))]))]))]))
        #expect(ChatTargetKind.discord.problems(in: body).filter { $0.hasPrefix("an empty") }.count == 4)
        let fitted = ChatTargetKind.discord.fitted(body)
        #expect(ChatTargetKind.discord.problems(in: fitted).isEmpty)
        let shown = fitted.objectValue?["embeds"]?.arrayValue?.first?.objectValue?["fields"]?.arrayValue?.map { item in
            [item.objectValue?["name"], item.objectValue?["value"]]
        }
        #expect(shown == [[.string("—"), .string("1 KB")], [.string("a.tif"), .string("—")], [.string("—"), .string("—")],
                          [.string("Files"), .number(3)]])
    }

    @Test("a generic webhook body over 1 MiB is shortened to fit, keeping its keys; a fitting body is left alone")
    func fitting() throws {
        let title = String(repeating: "東京都公文書館 ", count: 20_000)
        let item = JSONValue.object(JSONObject([("title", .string(title)), ("url", .string("https://eu.preservica.com/" + String(repeating: "a", count: 600))),
                                                ("bitstreamCount", .number(3))]))
        let body = JSONValue.object(JSONObject([("digest", .object(JSONObject([("count", .number(60)), ("items", .array(Array(repeating: item, count: 60)))])))]))
        #expect(JSONWriter.bytes(body).count > 20_000_000)
        let fitted = ChatTargetKind.webhook.fitted(body)
        #expect(ChatTargetKind.webhook.problems(in: fitted).isEmpty)
        let items = fitted.objectValue?["digest"]?.objectValue?["items"]?.arrayValue ?? []
        #expect(items.count == 60)
        #expect(items.first?.objectValue?["title"]?.stringValue?.hasSuffix("…") == true)
        #expect(items.first?.objectValue?["url"] == item.objectValue?["url"])
        #expect(items.first?.objectValue?["bitstreamCount"] == .number(3))
        let small = JSONValue.object(JSONObject([("title", .string(String(repeating: "x", count: 30_000)))]))
        #expect(ChatTargetKind.webhook.fitted(small) == small)
    }
}
