import ChatTargets
import JSON
import Testing

@Suite("Rendered payloads stay inside each target's limits")
struct PayloadLimitTests {
    @Test("valid JSON, within the byte limit and the per-field limits", arguments: ChatTargetKind.allCases, Scenario.all)
    func payloadFits(target: ChatTargetKind, scenario: Scenario) throws {
        for kind in scenario.kinds {
            let body = Rendering.body(target, kind, scenario)
            #expect(body.objectValue != nil, "\(kind) renders an object")
            let reparsed = try JSONParser.parse(JSONWriter.string(body))
            #expect(reparsed == body, "\(kind) survives a round trip through the parser")
            let problems = TargetLimits.problems(target, body: body)
            #expect(problems.isEmpty, "\(target.rawValue)-\(kind.rawValue) on \(scenario): \(problems)")
        }
    }

    @Test("the worst case is large enough to need the caps")
    func worstCaseIsLarge() {
        // Without caps the worst asset's own text would not fit a Teams card: the test data is worth its name.
        let model = Rendering.scenario("forty-bitstreams-worst-case").model
        #expect(model.wireSize > ChatTargetKind.teams.maxPayloadBytes)
        #expect(model["asset"]?["bitstreamCount"] == .number(40))
    }

    @Test("Discord: a worst-case asset lists 10 files and says how many more there are")
    func discordCapsFields() {
        let embed = Rendering.body(.discord, .asset, Rendering.scenario("forty-bitstreams-worst-case")).items("embeds").first
        let fields = embed?.items("fields") ?? []
        #expect(fields.filter { $0.text("value").hasSuffix("MB") }.count == 10)
        #expect(fields.contains { $0.text("value") == "+30 more" })
        #expect(embed?.text("title").hasSuffix("…") == true)
    }

    /// The data reaches a template escaped for the service, so a comparison of a value with
    /// Markdown characters (`FULL_TEXT_INDEXED` on Discord and Mattermost) must still hold.
    @Test("every service's digest headline reads the trigger as it is: ingested into, not ': ingested in'")
    func digestHeadlineOnEveryService() {
        for target in ChatTargetKind.allCases where target != .webhook {
            let text = JSONWriter.string(Rendering.body(target, .digest, Rendering.scenario("digest-sixty-items")))
            #expect(text.contains("60 assets ingested into Council minu 1"), "\(target.rawValue)")
            // The rest linked to their folder (the Teams connector and Matrix have a folder button or link of their own).
            let folder = "https://eu.preservica.com/explorer/explorer.html#properties:SO&f0000000-0000-4000-8000-000000000001"
            let more: [ChatTargetKind: String] = [.slack: "<\(folder)|+45 more>", .discord: "[+45 more](\(folder))",
                                                  .mattermost: "[+40 more](\(folder))", .googleChat: "<a href=\"\(folder)\">+40 more</a>"]
            if let link = more[target] {
                #expect(text.contains(JSONWriter.string(.string(link)).dropFirst().dropLast()), "\(target.rawValue): \(link)")
            }
            // And the totals, as Teams shows them.
            let files = Rendering.scenario("digest-sixty-items").model.objectValue?["digest"]?.objectValue?["filesText"]?.stringValue ?? "?"
            #expect(text.contains(files), "\(target.rawValue): \(files)")
        }
        // Only a plain word is left as it is; a trigger that could be markup is escaped as any data.
        for (trigger, kept) in [("FULL_TEXT_INDEXED", true), ("MOVED", true), ("_X_", false), ("A__B", false), ("[x](https://e.example)", false),
                                ("full_text", false)] {
            let escaped = MarkupStyle.discord.escapeData(.object(JSONObject([("trigger", .string(trigger))])))
            #expect((escaped.objectValue?["trigger"]?.stringValue == trigger) == kept, "\(trigger)")
        }
    }

    /// Where in the catalogue is half of what a curator wants from a card: the folder links to
    /// Preservica on every service, and where the service has buttons there is one for it.
    @Test("an asset card links its folder on Slack, Google Chat, Discord and Mattermost, with an Open folder button where there are buttons")
    func folderLinked() throws {
        let scenario = Rendering.scenario("one-bitstream")
        let folderURL = try #require(scenario.model.objectValue?["asset"]?.objectValue?["parent"]?.objectValue?["url"]?.stringValue)
        for (target, times) in [(ChatTargetKind.slack, 2), (.googleChat, 2), (.discord, 1), (.mattermost, 1)] {
            let text = JSONWriter.string(Rendering.body(target, .asset, scenario))
            #expect(text.components(separatedBy: JSONWriter.string(.string(folderURL)).dropFirst().dropLast()).count - 1 == times,
                    "\(target.rawValue): \(text)")
            #expect(times == 1 || text.contains("Open folder"), "\(target.rawValue)")
        }
    }

    /// Discord shows an embed's timestamp in each reader's own zone; a "When" field in the
    /// configured zone beside it would show two different times on one card.
    @Test("Discord: a failure card's time is the embed's timestamp; a When field only when the notification's time could not be read")
    func discordFailureTime() {
        let embed = Rendering.body(.discord, .failure, Rendering.scenario("ingest-failed")).items("embeds").first
        #expect(embed?.text("timestamp").isEmpty == false)
        #expect(!(embed?.items("fields") ?? []).contains { $0.text("name") == "When" })
    }

    /// A file name is told apart by its end as much as its start (`…_0017.tiff` from `…_0018.tiff`):
    /// a long one is cut in the middle.
    @Test("a long file name keeps its ending on every service")
    func longFileNameKeepsItsEnding() {
        let scenario = Rendering.scenario("forty-bitstreams-worst-case")
        for target in ChatTargetKind.allCases where target != .webhook {
            let text = JSONWriter.string(Rendering.body(target, .asset, scenario))
            #expect(text.contains("_0.tiff") && text.contains("…"), "\(target.rawValue)")
        }
    }

    /// A Matrix client's notification shows the plain `body`, often its first line only.
    @Test("Matrix: the first line of an asset's or a failure's plain body names it")
    func matrixFirstLineNamesTheAsset() {
        for (kind, scenario, start) in [(CardKind.asset, "one-bitstream", "Ingested: "), (.failure, "ingest-failed", "Ingest failed: ")] {
            let body = Rendering.body(.matrix, kind, Rendering.scenario(scenario))
            let first = body.text("body").split(separator: "\n").first.map(String.init) ?? ""
            let title = Rendering.scenario(scenario).model.objectValue?["asset"]?.objectValue?["title"]?.stringValue ?? ""
            // A failure's asset Preservica could not describe is named as such ("Unknown to Preservica").
            #expect(first.hasPrefix(start) && first.count > start.count && (title.isEmpty || first.contains(title)), "\(first)")
        }
    }

    @Test("Slack: a sixty-item digest lists 15 items and a +45 more line")
    func slackDigestCapsItems() {
        let blocks = Rendering.body(.slack, .digest, Rendering.scenario("digest-sixty-items")).items("blocks")
        #expect(blocks.filter { $0.text("type") == "section" }.count == 15)
        // Linked to the folder the assets share, where the rest are.
        #expect(blocks.contains { $0.items("elements").first?.text("text")
            == "<https://eu.preservica.com/explorer/explorer.html#properties:SO&f0000000-0000-4000-8000-000000000001|+45 more>" })
        #expect(blocks.first?["text"]?.text("text") == "60 assets ingested into Council minu 1")
    }
}
