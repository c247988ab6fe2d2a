import Testing
import CardTemplates
import JSON

@Suite("A whole Teams card")
struct CardRenderingTests {
    @Test("the card renders the expected values and round-trips through the JSON parser")
    func teamsCard() throws {
        let template = try CardTemplate(name: "teams.json", text: TeamsCard.template)
        let card = template.render(try Rendering.json(TeamsCard.data))
        #expect(try JSONParser.parse(JSONWriter.string(card)) == card)

        let root = try #require(card.objectValue)
        #expect(root.keys == ["type", "$schema", "version", "msteams", "body", "actions"])
        let body = try #require(root["body"]?.arrayValue)
        #expect(body.count == 5)
        #expect(body[0].objectValue?["text"] == .string("New asset: Council minutes \"1921\" <b>draft</b>"))
        #expect(body[1].objectValue?["text"] == .string("11 Oct 2023 10:52 UTC · ARCHIVE"))
        #expect(body[2].objectValue?["text"] == .string("Minutes of the council meeting.\nSecond line."))
        #expect(body[2].objectValue?["$when"] == nil)

        let facts = try #require(body[3].objectValue?["facts"]?.arrayValue)
        let values = facts.compactMap { $0.objectValue?["value"]?.stringValue }
        #expect(values == [
            "0d5e8a1c-2b3f-4c55-9a10-5d1e2f3a4b5c", "OPEN", "Council", "Council (level 2)",
            "5 (50 MB)", "52,433,418", "Ingest on IO 0d5e8a1c-2b3f-4c55-9a10-5d1e2f3a4b5c", "code:MIN-1921, isbn:none",
        ])

        let rows = try #require(body[4].objectValue?["items"]?.arrayValue)
        #expect(rows.count == 5)
        let firstRow = try #require(rows[0].objectValue?["columns"]?.arrayValue)
        #expect(firstRow[0].objectValue?["items"]?.arrayValue?.first?.objectValue?["text"] == .string("1."))
        let details = firstRow[1].objectValue?["items"]?.arrayValue
        #expect(details?[0].objectValue?["text"] == .string("page-1.tif"))
        #expect(details?[1].objectValue?["text"] == .string("50 MB · Preservation g1 · SHA-256 9f86d081884c"))
        #expect(firstRow[2].objectValue?["items"]?.arrayValue?.first?.objectValue?["text"] == .string("51,200.0 KB"))
        let lastRow = try #require(rows[4].objectValue?["columns"]?.arrayValue)
        #expect(lastRow[1].objectValue?["items"]?.arrayValue?[1].objectValue?["text"] == .string("10 B · Access g2 · no fixity"))

        let actions = try #require(root["actions"]?.arrayValue)
        #expect(actions.count == 2)
        #expect(actions[1].objectValue?["url"] == .string("https://archive.example/explorer/SO_p1"))
    }

    @Test("missing optional data drops the guarded parts instead of failing")
    func sparseData() throws {
        let template = try CardTemplate(name: "teams.json", text: TeamsCard.template)
        let card = template.render(try Rendering.json(#"{"event":{"triggerLabel":"New asset"},"asset":{"title":"Bare"}}"#))
        let root = try #require(card.objectValue)
        let body = try #require(root["body"]?.arrayValue)
        #expect(body[0].objectValue?["text"] == .string("New asset: Bare"))
        #expect(body[1].objectValue?["text"] == .string(" UTC · "))
        #expect(body.count == 4)  // no description, no "more" line
        #expect(body[3].objectValue?["items"] == .array([]))  // no bitstreams, no rows
        let facts = try #require(body[2].objectValue?["facts"]?.arrayValue)
        #expect(facts.count == 7)  // identifiers fact dropped
        #expect(facts[2].objectValue?["value"] == .string("Root"))
        #expect(root["actions"]?.arrayValue?.count == 1)
    }

    @Test("one compiled template renders the same card 1,000 times")
    func repeatedRendering() throws {
        let template = try CardTemplate(name: "teams.json", text: TeamsCard.template)
        let data = try Rendering.json(TeamsCard.data)
        let first = template.render(data)
        var identical = 0
        for _ in 0..<1_000 where template.render(data) == first { identical += 1 }
        #expect(identical == 1_000)
    }

    @Test("a template can be rendered from many tasks at once")
    func concurrentRendering() async throws {
        let template = try CardTemplate(name: "teams.json", text: TeamsCard.template)
        let data = try Rendering.json(TeamsCard.data)
        let expected = template.render(data)
        let results = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 { group.addTask { (0..<50).allSatisfy { _ in template.render(data) == expected } } }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results == Array(repeating: true, count: 8))
    }
}
