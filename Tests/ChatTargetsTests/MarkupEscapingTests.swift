import CardTemplates
import ChatTargets
import JSON
import Testing

@Suite("Data is escaped for each service's markup")
struct MarkupEscapingTests {
    @Test("a template's cut of a long title ends before an escape on Slack and Discord, and cuts Teams' text as it is")
    func cutsInCards() throws {
        let template = try CardTemplate(name: "cut.json", text: #"{"text":"${substring(asset.title, 0, 149)}…"}"#)
        let data = JSONValue.object(JSONObject([("asset", .object(JSONObject([("title", .string(String(repeating: "a", count: 147) + "&_b"))])))]))
        func text(_ kind: ChatTargetKind) -> String { kind.card(template, data: data).objectValue?["text"]?.stringValue ?? "" }
        #expect(text(.slack) == String(repeating: "a", count: 147) + "…", "Slack: \(text(.slack).suffix(8))")
        #expect(text(.discord) == String(repeating: "a", count: 147) + "&…", "Discord: \(text(.discord).suffix(8))")
        #expect(text(.teams) == String(repeating: "a", count: 147) + "&_…", "Teams: \(text(.teams).suffix(8))")
    }

    @Test("Slack: &, < and > become entities, bare URLs and @channel are broken")
    func slack() {
        #expect(MarkupStyle.slack.escape("A & B <!channel> <https://x.example|y>") == "A &amp; B &lt;!channel&gt; &lt;https:\u{200B}//x.example|y&gt;")
        #expect(MarkupStyle.slack.escape("@here and @channel, not @alice") == "@\u{200B}here and @\u{200B}channel, not @alice")
    }

    @Test("Discord: Markdown and mentions are backslash-escaped, a link's ]( broken, @everyone broken")
    func discord() {
        #expect(MarkupStyle.discord.escape("[a](https://x.example) <@123> **b** @everyone")
            == "\\[a\\]\u{200B}(https:\u{200B}//x.example) \\<@123\\> \\*\\*b\\*\\* @\u{200B}everyone")
        // A value put inside a template's `[…](url)` cannot close it: Discord reads `\]` there as `]`.
        #expect(MarkupStyle.discord.escape("x](https:evil.example) [y") == "x\\]\u{200B}(https:evil.example) \\[y")
        // Dates, file names with dots and dashes read as they are.
        #expect(MarkupStyle.discord.escape("2025-01-15 scan.tiff") == "2025-01-15 scan.tiff")
    }

    @Test("Mattermost: every @name is broken, since each one notifies someone")
    func mattermost() {
        #expect(MarkupStyle.mattermost.escape("@alice @all") == "@\u{200B}alice @\u{200B}all")
        // As on Discord, a value inside a template's `[…](url)` cannot close it at its own `](`.
        #expect(MarkupStyle.mattermost.escape("x](https:evil.example) [y") == "x\\]\u{200B}(https:evil.example) \\[y")
    }

    @Test("Teams: link syntax and bare URLs are broken without backslashes some clients would show")
    func teams() {
        #expect(MarkupStyle.teamsMarkdown.escape("[Log in](https://x.example) www.x.example")
            == "[Log in]\u{200B}(https:\u{200B}//x.example) www\u{200B}.x.example")
        #expect(MarkupStyle.teamsMarkdown.escape("Bjørnson: brev til Åse, 1884") == "Bjørnson: brev til Åse, 1884")
        // A title cannot make Teams show a date it does not hold; the relay's own event.time.teams stays live.
        #expect(MarkupStyle.teamsMarkdown.escape("Due {{DATE(2030-01-01T00:00:00Z, SHORT)}}") == "Due {\u{200B}{DATE(2030-01-01T00:00:00Z, SHORT)}}")
        let time = JSONValue.object(JSONObject([("teams", .string(TeamsTimeText.make(iso: "2026-11-30T17:00:00Z")))]))
        #expect(MarkupStyle.teamsMarkdown.escapeData(time) == time)
        // A digest's span, on one day or across two, stays live too.
        for span in [TeamsTimeText.makeSpan(from: "2026-11-30T17:00:00Z", to: "2026-11-30T17:05:00Z"),
                     TeamsTimeText.makeSpan(from: "2026-11-30T23:50:00Z", to: "2026-12-01T00:10:00Z")] {
            let live = JSONValue.object(JSONObject([("teamsSpan", .string(span))]))
            #expect(MarkupStyle.teamsMarkdown.escapeData(live) == live, "\(span)")
            // Where a notification's own timestamp can stand (event.time.teams), a span is text.
            let inEvent = JSONValue.object(JSONObject([("teams", .string(span))]))
            #expect(MarkupStyle.teamsMarkdown.escapeData(inEvent) != inEvent, "\(span)")
        }
        // A time out of range is no time the relay wrote.
        let impossible = JSONValue.object(JSONObject([("teams", .string(TeamsTimeText.make(iso: "2026-99-99T99:99:99Z")))]))
        #expect(MarkupStyle.teamsMarkdown.escapeData(impossible) != impossible)
        #expect(TeamsTimeText.makeSpan(from: "2026-11-30T17:00:00Z", to: "2026-11-30T17:05:00Z")
            == "{{DATE(2026-11-30T17:00:00Z, SHORT)}} {{TIME(2026-11-30T17:00:00Z)}}–{{TIME(2026-11-30T17:05:00Z)}}")
        // In its place, anything else is text: a notification's unreadable timestamp, or half the functions.
        for text in ["[Sign in](https://x.example)", "{{DATE(2026-11-30T17:00:00Z, SHORT)}}",
                     "{{DATE(2026-11-30T17:00:00Z, SHORT)}} {{TIME(2026-11-30T17:00:01Z)}}",
                     // A span whose second day is not the later time's, or with text between.
                     "{{DATE(2026-11-30T17:00:00Z, SHORT)}} {{TIME(2026-11-30T17:00:00Z)}} – {{DATE(2026-11-29T17:05:00Z, SHORT)}} {{TIME(2026-11-30T17:05:00Z)}}",
                     "{{DATE(2026-11-30T17:00:00Z, SHORT)}} {{TIME(2026-11-30T17:00:00Z)}}–[x](https://e.example){{TIME(2026-11-30T17:05:00Z)}}"] {
            let other = JSONValue.object(JSONObject([("teams", .string(text))]))
            #expect(MarkupStyle.teamsMarkdown.escapeData(other) == .object(JSONObject([("teams", .string(MarkupStyle.teamsMarkdown.escape(text)))])))
        }
        // Member names from Preservica (fixity algorithms) are text, and give their values no link or built meaning.
        let fixity = JSONValue.object(JSONObject([("fixity", .object(JSONObject([
            ("url", .string("[x](https://x.example)")), ("teams", .string("{{DATE(2026-11-30T17:00:00Z, SHORT)}}")),
            ("[k](https://x.example)", .string("v")),
        ])))]))
        let escapedFixity = MarkupStyle.teamsMarkdown.escapeData(fixity).objectValue?["fixity"]?.objectValue
        #expect(escapedFixity?["url"] == .string(MarkupStyle.teamsMarkdown.escape("[x](https://x.example)")))
        #expect(escapedFixity?["teams"] == .string(MarkupStyle.teamsMarkdown.escape("{{DATE(2026-11-30T17:00:00Z, SHORT)}}")))
        #expect(escapedFixity?[MarkupStyle.teamsMarkdown.escape("[k](https://x.example)")] == .string("v"))
        #expect(MarkupStyle.teamsMarkdown.escape("Www.x.example wWw.y") == "Www\u{200B}.x.example wWw\u{200B}.y")
        #expect(MarkupStyle.teamsMarkdown.escape("Minutes <draft>") == "Minutes <draft>")
    }

    @Test("MessageCard: as Teams, and HTML tags broken after the '<'; a '<' before a space or digit stays")
    func messageCard() {
        #expect(MarkupStyle.messageCard.escape("<a href=//x.example>a</a> <img src=x> a < b <3")
            == "<\u{200B}a href=//x.example>a<\u{200B}/a> <\u{200B}img src=x> a < b <3")
    }

    /// A `Character` is a whole grapheme cluster: a `<` after a prepended mark (U+0600) or before a
    /// combining one (U+0301) is not the Character "<", but every service still reads a `<`.
    @Test("markup joined to a mark before or after it is escaped all the same")
    func joinedMarks() {
        let (before, after) = ("\u{600}", "\u{301}")
        for style in [MarkupStyle.slack, .googleChat, .html] {
            let out = style.escape("\(before)<!channel>\(after) \(before)<b>\(after) A \(before)&\(after) B")
            #expect(!out.unicodeScalars.contains("<") && !out.unicodeScalars.contains(">"), "\(style): \(out)")
            #expect(Self.scalars(out).contains("&amp;"), "\(style): \(out)")
        }
        for style in [MarkupStyle.discord, .mattermost] {
            let out = Array(style.escape("\(before)*\(after)bold\(before)*\(after) \(before)[a\(before)](x)").unicodeScalars)
            for (index, scalar) in out.enumerated() where "*[]".unicodeScalars.contains(scalar) {
                #expect(index > 0 && out[index - 1] == "\\", "\(style): \(String(String.UnicodeScalarView(out)))")
            }
        }
        #expect(Self.scalars(MarkupStyle.mattermost.escape("\(before)@channel")).contains("@\u{200B}channel"))
        #expect(Self.scalars(MarkupStyle.slack.escape("\(before)@here\(after)")).contains("@\u{200B}here"))
        #expect(Self.scalars(MarkupStyle.html.escape("\(before)@room")).contains("@\u{200B}room"))
        #expect(Self.scalars(MarkupStyle.messageCard.escape("\(before)<a href=x>\(after)")).contains("<\u{200B}a"))
        for style in MarkupStyle.allCases where style != .none {
            let out = Self.scalars(style.escape("\(before)[x\(before)](y) \(before)https://evil.example \(before)www.evil.example"))
            #expect(!out.contains("://") && !out.contains("www."), "\(style): \(out)")
            if style == .teamsMarkdown || style == .messageCard { #expect(!out.contains("]("), "\(style): \(out)") }
        }
    }

    @Test("Teams: no text function forms out of a longer run of braces")
    func braceRuns() {
        for text in ["{{{DATE(2020-01-01T00:00:00Z, LONG)}}}", "{{{{TIME(2020-01-01T00:00:00Z)}}}}", "\u{600}{{DATE(2020-01-01T00:00:00Z)}}"] {
            let out = Self.scalars(MarkupStyle.teamsMarkdown.escape(text))
            #expect(!out.contains("{{"), "\(out)")
        }
    }

    /// The text as its scalars, so `contains` matches the way a service's parser reads, not by grapheme cluster.
    private static func scalars(_ text: String) -> ScalarText { ScalarText(scalars: Array(text.unicodeScalars)) }

    private struct ScalarText: CustomStringConvertible {
        let scalars: [Unicode.Scalar]
        func contains(_ text: String) -> Bool {
            let pattern = Array(text.unicodeScalars)
            return scalars.indices.contains { scalars[$0...].starts(with: pattern) }
        }
        var description: String { scalars.map { $0.value < 0x80 ? String($0) : "\\u{" + String($0.value, radix: 16) + "}" }.joined() }
    }

    @Test("every chat service drops direction overrides; the generic webhook keeps the value")
    func directionOverrides() {
        for style in MarkupStyle.allCases where style != .none {
            #expect(!style.escape("invoice\u{202E}fdp.exe").unicodeScalars.contains { $0.value == 0x202E }, "\(style)")
        }
        #expect(MarkupStyle.none.escape("invoice\u{202E}fdp.exe") == "invoice\u{202E}fdp.exe")
    }

    @Test("HTML (Matrix): every special character is an entity; @room is broken")
    func html() {
        #expect(MarkupStyle.html.escape("<a href=\"x\">'&'</a> @room") == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt; @\u{200B}room")
        #expect(MarkupStyle.html.escapeURL("https://x.example/a?b=1&c=2") == "https://x.example/a?b=1&amp;c=2")
    }

    @Test("links the relay built stay links; numbers stay numbers; the webhook is untouched")
    func data() {
        let data = JSONValue.object(JSONObject([
            ("asset", .object(JSONObject([("title", .string("[x](https://e.example)")), ("url", .string("https://p.example/#IO&1")),
                                          ("size", .number(3))]))),
        ]))
        let escaped = MarkupStyle.discord.escapeData(data)
        #expect(escaped.objectValue?["asset"]?.objectValue?["url"] == .string("https://p.example/#IO&1"))
        #expect(escaped.objectValue?["asset"]?.objectValue?["size"] == .number(3))
        #expect(escaped.objectValue?["asset"]?.objectValue?["title"] == .string("\\[x\\]\u{200B}(https:\u{200B}//e.example)"))
        #expect(MarkupStyle.none.escapeData(data) == data)
    }

    @Test("every chat service has a markup, and only the generic webhook leaves data as it is")
    func everyKind() {
        #expect(ChatTargetKind.allCases.filter { $0.markup == .none } == [.webhook])
    }
}
