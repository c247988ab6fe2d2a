import Foundation
import ChatTargets
import JSON
import Testing

@Suite("MessageCard, webhook, Matrix, Slack, Google Chat and Mattermost payloads")
struct OtherTargetTests {
    @Test("the MessageCard follows Preservica's article: title, description and one pair per bitstream")
    func messageCardFacts() {
        let card = Rendering.card(.teamsConnector, .asset, Rendering.scenario("forty-bitstreams-worst-case"))
        #expect(card.text("@type") == "MessageCard")
        #expect(card.text("@context") == "http://schema.org/extensions")
        #expect(card.text("summary") == "Preservica has ingested a new asset")
        #expect(card.text("title") == "Preservica has ingested a new asset")
        let facts = card.items("sections").flatMap { $0.items("facts") }
        let names = facts.map { $0.text("name") }
        #expect(Array(names.prefix(2)) == ["Asset Title", "Asset Description"])
        #expect(names.filter { $0 == "BitStream Name" }.count == 8)
        #expect(names.filter { $0 == "BitStream Length" }.count == 8)
        let first = facts.firstIndex { $0.text("name") == "BitStream Name" } ?? 0
        #expect(facts[first + 1].text("name") == "BitStream Length")
        #expect(facts[first + 1].text("value") == "1.2 MB (1,234,567 bytes)")
        #expect(card.items("sections").last?.text("text") == "+32 more bitstreams")
        let action = card.items("potentialAction").first
        #expect(action?.text("@type") == "OpenUri")
        #expect(action?.items("targets").first?.text("uri") == Rendering.scenario("forty-bitstreams-worst-case").model["asset"]?.text("url"))
    }

    @Test("the MessageCard leaves out an empty description")
    func messageCardWithoutDescription() {
        let card = Rendering.card(.teamsConnector, .asset, Rendering.scenario("empty-description"))
        let names = card.items("sections").flatMap { $0.items("facts") }.map { $0.text("name") }
        #expect(names == ["Asset Title", "Folder", "Security Tag", "BitStream Name", "BitStream Length", "BitStream Name", "BitStream Length"])
    }

    @Test("the webhook payload is the data model itself", arguments: Scenario.all)
    func webhookIsTheModel(scenario: Scenario) {
        for kind in scenario.kinds {
            #expect(ChatTargetKind.webhook.envelope(Rendering.card(.webhook, kind, scenario)) == scenario.model)
        }
    }

    @Test("Matrix: markup in titles and descriptions is escaped in the HTML body and kept in the plain body")
    func matrixEscapesMarkup() {
        let scenario = Rendering.scenario("markup-in-text")
        let event = Rendering.card(.matrix, .asset, scenario)
        let html = event.text("formatted_body")
        #expect(!html.contains("<script>"))
        #expect(!html.contains("<b>bold</b>"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;"))
        #expect(html.contains("<a href=\"https://eu.preservica.com/explorer/explorer.html#properties:IO&amp;a1b2c3d4-0000-4000-8000-000000000001\">"))
        // The plain body reads the title as it is, with its bare URL broken so no client links it.
        #expect(event.text("body").contains(SampleData.markupTitle.replacingOccurrences(of: "://", with: ":\u{200B}//")))
        #expect(event["m.mentions"] == .object(JSONObject()))
        #expect(event.text("format") == "org.matrix.custom.html")
    }

    @Test("Matrix: the first five files are listed, then +M more")
    func matrixListsFiles() {
        let event = Rendering.card(.matrix, .asset, Rendering.scenario("forty-bitstreams-worst-case"))
        #expect(event.text("formatted_body").components(separatedBy: "<li>").count - 1 == 6)
        #expect(event.text("formatted_body").contains("<li>+35 more</li>"))
        #expect(event.text("body").contains("\n+35 more\n"))
        let oneFile = Rendering.card(.matrix, .asset, Rendering.scenario("one-bitstream"))
        #expect(oneFile.text("body").contains("\n- Rådhusarkiv_Ærø_kommune__0.tiff (1.2 MB)\n"))
    }

    @Test("Slack: markup in a title cannot make a link in mrkdwn")
    func slackEscapesMrkdwn() {
        let body = Rendering.body(.slack, .failure, Rendering.scenario("markup-in-text"))
        let fields = body.items("attachments").first?.items("blocks").flatMap { $0.items("fields") } ?? []
        let title = fields.first { $0.text("text").hasPrefix("*Asset*") }?.text("text") ?? ""
        #expect(title.contains("&lt;https:\u{200B}//evil.example|click&gt;"))
        #expect(!title.contains("<https:"))
    }

    @Test("Google Chat: markup is escaped wherever the card reads HTML")
    func googleChatEscapesHTML() {
        let card = Rendering.body(.googleChat, .asset, Rendering.scenario("markup-in-text")).items("cardsV2").first?["card"]
        let escaped = "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt; &lt;https:\u{200B}//evil.example|click&gt; [x](https:\u{200B}//evil.example) @everyone"
        let paragraphs = card?.items("sections").flatMap { $0.items("widgets") }.compactMap { $0["textParagraph"]?.text("text") } ?? []
        #expect(paragraphs == [escaped])
        // The header is plain text, so it keeps the title as it is.
        #expect(card?["header"]?.text("title") == SampleData.markupTitle.replacingOccurrences(of: "://", with: ":\u{200B}//"))
        let widgetTexts = card?.items("sections").flatMap { $0.items("widgets") }.flatMap(\.allStrings) ?? []
        #expect(!widgetTexts.contains { $0.contains("<script>") })
    }

    @Test("Mattermost: a not-found asset still has a title and a link")
    func mattermostNotFound() {
        let attachment = Rendering.body(.mattermost, .asset, Rendering.scenario("not-found")).items("attachments").first
        #expect(attachment?.text("title") == "Asset deadbeef-0000-4000-8000-000000000404")
        #expect(attachment?.text("title_link").hasSuffix("IO&deadbeef-0000-4000-8000-000000000404") == true)
        #expect(attachment?.text("text").hasPrefix("Preservica does not know this asset") == true)
    }

    @Test("every target but Teams Workflows sends the rendered payload as it is; all are JSON")
    func envelopes() {
        let card = JSONValue.object(JSONObject([("text", .string("hello"))]))
        for target in ChatTargetKind.allCases where target != .teams {
            #expect(target.envelope(card) == card)
        }
        #expect(ChatTargetKind.allCases.allSatisfy { $0.contentType == "application/json" })
        #expect(ChatTargetKind.teams.maxPayloadBytes == 20_000)
        #expect(ChatTargetKind.googleChat.maxPayloadBytes == 32_000)
        #expect(ChatTargetKind.allCases.map(\.rawValue) == ["teams", "teams-connector", "slack", "google-chat", "discord", "mattermost", "matrix", "webhook"])
    }
}
