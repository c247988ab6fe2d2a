import ChatTargets
import JSON
import Testing

@Suite("Data is escaped for each service's markup")
struct MarkupEscapingTests {
    @Test("Slack: &, < and > become entities, bare URLs and @channel are broken")
    func slack() {
        #expect(MarkupStyle.slack.escape("A & B <!channel> <https://x.example|y>") == "A &amp; B &lt;!channel&gt; &lt;https:\u{200B}//x.example|y&gt;")
        #expect(MarkupStyle.slack.escape("@here and @channel, not @alice") == "@\u{200B}here and @\u{200B}channel, not @alice")
    }

    @Test("Discord: Markdown and mentions are backslash-escaped, @everyone is broken")
    func discord() {
        #expect(MarkupStyle.discord.escape("[a](https://x.example) <@123> **b** @everyone")
            == "\\[a\\](https:\u{200B}//x.example) \\<@123\\> \\*\\*b\\*\\* @\u{200B}everyone")
        // Dates, file names with dots and dashes read as they are.
        #expect(MarkupStyle.discord.escape("2025-01-15 scan.tiff") == "2025-01-15 scan.tiff")
    }

    @Test("Mattermost: every @name is broken, since each one notifies someone")
    func mattermost() {
        #expect(MarkupStyle.mattermost.escape("@alice @all") == "@\u{200B}alice @\u{200B}all")
    }

    @Test("Teams: link syntax and bare URLs are broken without backslashes some clients would show")
    func teams() {
        #expect(MarkupStyle.teamsMarkdown.escape("[Log in](https://x.example) www.x.example")
            == "[Log in]\u{200B}(https:\u{200B}//x.example) www\u{200B}.x.example")
        #expect(MarkupStyle.teamsMarkdown.escape("Bjørnson: brev til Åse, 1884") == "Bjørnson: brev til Åse, 1884")
        #expect(MarkupStyle.teamsMarkdown.escape("Www.x.example wWw.y") == "Www\u{200B}.x.example wWw\u{200B}.y")
        #expect(MarkupStyle.teamsMarkdown.escape("Minutes <draft>") == "Minutes <draft>")
    }

    @Test("MessageCard: as Teams, and HTML tags broken after the '<'; a '<' before a space or digit stays")
    func messageCard() {
        #expect(MarkupStyle.messageCard.escape("<a href=//x.example>a</a> <img src=x> a < b <3")
            == "<\u{200B}a href=//x.example>a<\u{200B}/a> <\u{200B}img src=x> a < b <3")
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
        #expect(escaped.objectValue?["asset"]?.objectValue?["title"] == .string("\\[x\\](https:\u{200B}//e.example)"))
        #expect(MarkupStyle.none.escapeData(data) == data)
    }

    @Test("every chat service has a markup, and only the generic webhook leaves data as it is")
    func everyKind() {
        #expect(ChatTargetKind.allCases.filter { $0.markup == .none } == [.webhook])
    }
}
