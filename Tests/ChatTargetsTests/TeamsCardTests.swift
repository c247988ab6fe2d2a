import ChatTargets
import Foundation
import JSON
import Testing

@Suite("Teams Workflows cards")
struct TeamsCardTests {
    private func card(_ kind: CardKind, _ scenario: String) -> JSONValue {
        Rendering.card(.teams, kind, Rendering.scenario(scenario))
    }

    /// Every TextBlock text in the body, in order, containers included.
    private func texts(_ card: JSONValue) -> [String] {
        func walk(_ element: JSONValue) -> [String] {
            (element.text("type") == "TextBlock" ? [element.text("text")] : [])
                + element.items("items").flatMap(walk) + element.items("columns").flatMap(walk)
        }
        return card.items("body").flatMap(walk)
    }

    @Test("the envelope is a message with the card as an Adaptive Card attachment")
    func envelope() {
        let card = card(.asset, "one-bitstream")
        let body = ChatTargetKind.teams.envelope(card)
        #expect(body.text("type") == "message")
        let attachment = body.items("attachments").first
        #expect(body.items("attachments").count == 1)
        #expect(attachment?.text("contentType") == "application/vnd.microsoft.card.adaptive")
        #expect(attachment?["contentUrl"] == .null)
        #expect(attachment?["content"] == card)
    }

    @Test("asset cards are Adaptive Card 1.4, full width, with an Open in Preservica link to the asset (a failure card of an entity Preservica does not know: to the Process Monitor)",
          arguments: Scenario.all.filter { !$0.isDigest })
    func assetCardBasics(scenario: Scenario) {
        for kind in scenario.kinds {
            let card = Rendering.card(.teams, kind, scenario)
            #expect(card.text("$schema") == "http://adaptivecards.io/schemas/adaptive-card.json")
            #expect(card.text("type") == "AdaptiveCard")
            #expect(card.text("version") == "1.4")
            #expect(card["msteams"]?.text("width") == "Full")
            let assetURL = scenario.model["asset"]?.text("url") ?? ""
            #expect(assetURL.hasPrefix("https://eu.preservica.com/explorer/"))
            let unknownFailure = kind == .failure && scenario.model["asset"]?["found"] == .bool(false)
            let link = unknownFailure ? "https://eu.preservica.com/monitor" : assetURL
            #expect(card.items("actions").contains { $0.text("type") == "Action.OpenUrl" && $0.text("url") == link },
                    "\(kind) card links to \(link)")
            #expect(!unknownFailure || !card.items("actions").contains { $0.text("url") == assetURL })
        }
    }

    @Test("only Adaptive Card 1.4 elements and webhook actions", arguments: Scenario.all)
    func structure(scenario: Scenario) {
        for kind in scenario.kinds {
            let problems = AdaptiveCardStructure.problems(Rendering.card(.teams, kind, scenario))
            #expect(problems.isEmpty, "\(kind) on \(scenario): \(problems)")
        }
    }

    @Test("the title comes first and links to the asset; then what happened and when, then where; the reference last")
    func assetCardContent() {
        let card = card(.asset, "one-bitstream")
        let title = card.items("body").first
        #expect(title?["selectAction"]?.text("url") == "https://eu.preservica.com/explorer/explorer.html#properties:IO&a1b2c3d4-0000-4000-8000-000000000001")
        #expect(title?.items("items").first?.text("text") == "Minutes of the council, 1887")
        // Teams writes the time in each reader's own zone.
        #expect(texts(card).first == "Minutes of the council, 1887")
        #expect(texts(card)[1] == "**Ingested** · {{DATE(2023-10-11T10:52:42Z, SHORT)}} {{TIME(2023-10-11T10:52:42Z)}}")
        #expect(texts(card)[2].hasPrefix("In [Council minu 0 › Council minu 1](https://eu.preservica.com/explorer/explorer.html#properties:SO&"))
        #expect(texts(card).contains("Bound volume, scanned at 400 dpi."))
        let facts = card.items("body").filter { $0.text("type") == "FactSet" }.flatMap { $0.items("facts") }
        let pairs = facts.map { "\($0.text("title"))=\($0.text("value"))" }
        #expect(pairs.contains("Security tag=open"))
        #expect(pairs.contains("Rådhusarkiv_Ærø_kommune__0.tiff=1.2 MB"))
        #expect(texts(card).contains("**1 file · 1.2 MB**"))
        // No label twice: the file count is a line, not also a fact.
        #expect(!pairs.contains { $0.hasPrefix("Files=") })
        #expect(texts(card).last == "Preservica a1b2c3d4-0000-4000-8000-000000000001 · DEMO" || texts(card).last?.hasPrefix("Preservica a1b2c3d4") == true)
        #expect(!texts(card).contains { $0.contains("more") })
    }

    @Test("forty bitstreams: ten facts, a +30 more line, long names cut in the middle and the title shortened")
    func manyBitstreams() {
        let card = card(.asset, "forty-bitstreams-worst-case")
        let factSets = card.items("body").filter { $0.text("type") == "FactSet" }
        let files = factSets.last?.items("facts") ?? []
        #expect(files.count == 10)
        // Cut in the middle: the start, "…", and the last 20 characters, the extension among them.
        #expect(files.allSatisfy { $0.text("title").count == 120 && $0.text("title").contains("…") && $0.text("title").hasSuffix(".tiff") },
                "\(files.map { $0.text("title") })")
        #expect(texts(card).contains("[+30 more](https://eu.preservica.com/explorer/explorer.html#properties:IO&a1b2c3d4-0000-4000-8000-000000000001)")
                || texts(card).contains { $0.hasPrefix("[+30 more](") })
        let title = card.items("body").first { $0["selectAction"] != nil }?.items("items").first?.text("text") ?? ""
        #expect(title.count == 200 && title.hasSuffix("…"))
    }

    @Test("an empty description leaves no empty TextBlock")
    func emptyDescription() {
        let card = card(.asset, "empty-description")
        #expect(!texts(card).contains(""))
        #expect(texts(card).count == 5)
        #expect(!card.items("body").contains { $0.text("type") == "TextBlock" && $0.text("text").isEmpty })
    }

    @Test("a not-found asset shows its reference and a note instead of a title")
    func notFound() {
        let card = card(.asset, "not-found")
        let all = texts(card)
        #expect(all.contains("Asset deadbeef-0000-4000-8000-000000000404"))
        #expect(all.contains { $0.hasPrefix("Preservica does not know this asset") })
        #expect(!card.items("body").contains { $0.text("type") == "FactSet" && $0.items("facts").contains { $0.text("title") == "Files" } })
    }

    @Test("a digest says how many assets went into which folder and lists twenty with +more")
    func digest() {
        let card = card(.digest, "digest-sixty-items")
        #expect(texts(card).contains("60 assets ingested into Council minu 1"))
        let rows = card.items("body").filter { $0.text("type") == "ColumnSet" }
        #expect(rows.count == 20)
        #expect(rows.first?["selectAction"]?.text("url") == "https://eu.preservica.com/explorer/explorer.html#properties:IO&a1b2c3d4-0000-4000-8000-000000000000")
        #expect(texts(card).contains("[+40 more](https://eu.preservica.com/explorer/explorer.html#properties:SO&f0000000-0000-4000-8000-000000000001)"))
        #expect(texts(card).contains { $0.hasPrefix("**60 assets · ") })
        // The span in each reader's own zone, as the asset cards' times are.
        #expect(texts(card).contains { $0.hasPrefix("**60 assets · ") && $0.contains("{{DATE(") && $0.contains("{{TIME(") }, "\(texts(card))")
        #expect(card.items("actions").first?.text("url") == "https://eu.preservica.com/explorer/explorer.html#properties:SO&f0000000-0000-4000-8000-000000000001")

        let one = self.card(.digest, "digest-one-item")
        #expect(texts(one).contains("1 asset ingested into Council minu 1"))
        #expect(!texts(one).contains { $0.hasSuffix("more") })
        // Assets in different folders below one: the digest names the one they share.
        let mixed = self.card(.digest, "digest-sixty-items-mixed-folders")
        #expect(texts(mixed).contains("60 assets ingested under Council minu 0"), "some are in folders below it")
        #expect(mixed.items("actions").first?.text("url") == "https://eu.preservica.com/explorer/explorer.html#properties:SO&f0000000-0000-4000-8000-000000000000")
    }

    @Test("an ingest failure is in attention style and says what failed and when")
    func failure() {
        let card = card(.failure, "ingest-failed")
        #expect(card.items("body").first?.text("style") == "attention")
        #expect(texts(card).prefix(2) == ["Ingest failed", "{{DATE(2023-10-11T10:52:42Z, SHORT)}} {{TIME(2023-10-11T10:52:42Z)}}"])
        let facts = card.items("body").first { $0.text("type") == "FactSet" }?.items("facts") ?? []
        // What failed comes first, then where, then why (Preservica gives no reason), then the reference.
        #expect(facts.map { $0.text("title") } == ["Asset", "What to do", "Reference", "Tenant"])
        #expect(facts.first?.text("value") == "Unknown to Preservica")
        #expect(facts.first { $0.text("title") == "What to do" }?.text("value").contains("Preservica does not say why") == true)
    }

    @Test("rendered cards are left in .build/rendered-cards for scripts/validate-teams-cards.py")
    func dumpRenderedCards() throws {
        let directory = RepositoryFiles.renderedCards
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for scenario in Scenario.all {
            for kind in scenario.kinds {
                let file = directory.appendingPathComponent("teams-\(kind.rawValue)-\(scenario.name).json")
                try Data(JSONWriter.bytes(Rendering.card(.teams, kind, scenario))).write(to: file)
                #expect(FileManager.default.fileExists(atPath: file.path))
            }
        }
    }
}
