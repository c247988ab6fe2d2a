import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import PreservicaSimulator

@Suite("Simulator: Entity API")
struct EntityAPITests {
    typealias Refs = SimulatorRepository.SampleRefs

    @Test("version and namespaces follow the configured version", arguments: [
        ("6.1", "6.1.0", "6.0"), ("6.10", "6.10.0", "6.10"), ("7.7", "7.7.0", "7.7"), ("8.1", "8.1.0", "8.1"),
    ])
    func versions(version: String, current: String, label: String) async throws {
        let fixture = try SimulatorFixture(SimulatorConfiguration(version: version))
        let token = try await fixture.client.login(fixture.simulator)
        let details = try await fixture.client.get("/api/entity/versiondetails/version", token: token)
        let asset = try await fixture.client.get("/api/entity/information-objects/\(Refs.letterAsset)", token: token)
        await fixture.finish()
        // pyPreservica finds the version by searching for the literal, unprefixed tag.
        #expect(details.text.contains("<CurrentVersion>\(current)</CurrentVersion>"))
        let ns = Namespaces(label)
        let root = try XMLTree(asset).root
        #expect(root.localName == "EntityResponse")
        #expect(root.uri == ns.entity)
        #expect(root.text("Ref", in: ns.xip) == Refs.letterAsset)
        #expect(root.all("Fragment", in: ns.entity).count == 1)
    }

    @Test("an asset carries Ref, a non-ASCII Title, Description, SecurityTag, Parent and a Fragment with a schema")
    func asset() async throws {
        let fixture = try SimulatorFixture()
        let token = try await fixture.client.login(fixture.simulator)
        let letter = try await fixture.client.get("/api/entity/information-objects/\(Refs.letterAsset)", token: token)
        let minutes = try await fixture.client.get("/api/entity/information-objects/\(Refs.minutesAsset)", token: token)
        let closed = try await fixture.client.get("/api/entity/information-objects/\(Refs.closedAsset)", token: token)
        let tokyo = try await fixture.client.get("/api/entity/information-objects/\(Refs.tokyoMapAsset)", token: token)
        let base = fixture.simulator.baseURL
        await fixture.finish()
        let ns = Namespaces("7.7")
        #expect(letter.status == 200)
        #expect(letter.header("Content-Type")?.hasPrefix("application/xml") == true)
        let io = try #require(try XMLTree(letter).root.direct("InformationObject", in: ns.xip).first)
        #expect(io.text("Title", in: ns.xip) == "Bjørnson: brev til Åse, 1884")
        #expect(io.text("Description", in: ns.xip) == "Brev fra Bjørnstjerne Bjørnson, 4 sider")
        #expect(io.text("SecurityTag", in: ns.xip) == "open")
        #expect(io.text("Parent", in: ns.xip) == Refs.bjornsonPapers)
        let fragment = try #require(try XMLTree(letter).root.all("Fragment", in: ns.entity).first)
        #expect(fragment.attribute("schema") == "http://www.openarchives.org/OAI/2.0/oai_dc/")
        #expect(fragment.stringValue?.hasPrefix(base + "/api/entity/information-objects/") == true)
        #expect(try XMLTree(minutes).root.text("Title", in: ns.xip) == "Minutes of the Board, 1921 <draft> & notes")
        #expect(try XMLTree(closed).root.text("SecurityTag", in: ns.xip) == "closed")
        #expect(try XMLTree(tokyo).root.text("Title", in: ns.xip) == "東京の地図")
    }

    @Test("a folder has its title and parent; a root folder has no Parent")
    func folder() async throws {
        let fixture = try SimulatorFixture()
        let token = try await fixture.client.login(fixture.simulator)
        let papers = try await fixture.client.get("/api/entity/structural-objects/\(Refs.bjornsonPapers)", token: token)
        let top = try await fixture.client.get("/api/entity/structural-objects/\(Refs.collections)", token: token)
        await fixture.finish()
        let ns = Namespaces("7.7")
        let so = try #require(try XMLTree(papers).root.direct("StructuralObject", in: ns.xip).first)
        #expect(so.text("Title", in: ns.xip) == "Bjørnson family papers")
        #expect(so.text("Parent", in: ns.xip) == Refs.letters)
        #expect(so.text("SecurityTag", in: ns.xip) == "open")
        #expect(try XMLTree(top).root.all("Parent", in: ns.xip).isEmpty)
    }

    @Test("walking representations, content objects, generations and bitstreams finds the active files only")
    func bitstreamWalk() async throws {
        let fixture = try SimulatorFixture()
        let token = try await fixture.client.login(fixture.simulator)
        let walker = BitstreamWalker(client: fixture.client, token: token, ns: Namespaces("7.7"), base: fixture.simulator.baseURL)
        let letter = try await walker.activeBitstreams(of: Refs.letterAsset)
        let album = try await walker.activeBitstreams(of: Refs.albumAsset)
        let physical = try await walker.activeBitstreams(of: Refs.physicalAsset)
        await fixture.finish()
        #expect(letter.map(\.filename) == ["brev-1884.jp2", "brev-1884.jpg"])
        #expect(letter.map(\.size) == [18_874_368, 1_048_576])
        #expect(letter.allSatisfy { $0.algorithm == "SHA256" && $0.fixity.count == 64 })
        #expect(album.count == 28)
        let albumBytes: Int = album.map(\.size).reduce(0, +)
        let expectedAlbumBytes: Int = (1...28).map { (page: Int) -> Int in 20_000_000 + page * 131_072 }.reduce(0, +)
        #expect(albumBytes == expectedAlbumBytes)
        #expect(physical.isEmpty)
        #expect(walker.representationTypes.contains("Preservation") && walker.representationTypes.contains("Access"))
    }

    @Test("a generation carries original, active and Format@valid, with the Entity-ns Bitstreams at the root")
    func generationShape() async throws {
        let fixture = try SimulatorFixture()
        let token = try await fixture.client.login(fixture.simulator)
        let co = Refs.letterPreservationCO
        let list = try await fixture.client.get("/api/entity/content-objects/\(co)/generations", token: token)
        let inactive = try await fixture.client.get("/api/entity/content-objects/\(co)/generations/1", token: token)
        let bitstream = try await fixture.client.get("/api/entity/content-objects/\(co)/generations/2/bitstreams/1", token: token)
        await fixture.finish()
        let ns = Namespaces("7.7")
        let links = try XMLTree(list).root.all("Generation", in: ns.entity)
        #expect(links.map { $0.attribute("active") } == ["false", "true"])
        #expect(links.last?.stringValue?.hasSuffix("/generations/2") == true)
        let root = try XMLTree(inactive).root
        let generation = try #require(root.direct("Generation", in: ns.xip).first)
        #expect(generation.attribute("original") == "true")
        #expect(generation.attribute("active") == "false")
        #expect(root.all("Format", in: ns.xip).allSatisfy { $0.attribute("valid") != nil })
        let links1 = root.direct("Bitstreams", in: ns.entity).first?.direct("Bitstream", in: ns.entity) ?? []
        #expect(links1.count == 1)
        #expect(links1.first?.stringValue?.hasSuffix("/generations/1/bitstreams/1") == true)
        let fixity = try #require(try XMLTree(bitstream).root.all("Fixity", in: ns.xip).first)
        let order = (fixity.children ?? []).compactMap { $0 as? XMLElement }.map { $0.localName ?? "" }
        #expect(order == ["FixityAlgorithmRef", "FixityValue"])
        #expect(try XMLTree(bitstream).root.text("Content", in: ns.entity)?.hasSuffix("/bitstreams/1/content") == true)
    }

    @Test("unknown references and indices are 404")
    func notFound() async throws {
        let fixture = try SimulatorFixture()
        let token = try await fixture.client.login(fixture.simulator)
        var statuses: [Int] = []
        for path in ["/api/entity/information-objects/\(Refs.unknown)", "/api/entity/structural-objects/\(Refs.unknown)",
                     "/api/entity/content-objects/\(Refs.unknown)", "/api/entity/structural-objects/\(Refs.letterAsset)",
                     "/api/entity/content-objects/\(Refs.letterPreservationCO)/generations/3",
                     "/api/entity/content-objects/\(Refs.letterPreservationCO)/generations/2/bitstreams/2",
                     "/api/entity/information-objects/\(Refs.letterAsset)/representations/Access/2",
                     "/api/entity/v9.9/information-objects/\(Refs.letterAsset)", "/api/entity/nothing-here"] {
            statuses.append(try await fixture.client.get(path, token: token).status)
        }
        await fixture.finish()
        #expect(statuses == Array(repeating: 404, count: 9))
    }

    @Test("children come in pages linked by Next until the last page")
    func childrenPaging() async throws {
        let fixture = try SimulatorFixture()
        let token = try await fixture.client.login(fixture.simulator)
        let ns = Namespaces("7.7")
        var next: String? = "/api/entity/structural-objects/\(Refs.collections)/children?start=0&max=3"
        var seen: [(String, String)] = []
        var pages = 0
        var totals: Set<String> = []
        while let url = next {
            let page = try XMLTree(try await fixture.client.get(url, token: token)).root
            pages += 1
            seen += page.all("Child", in: ns.entity).map { ($0.attribute("type") ?? "", $0.attribute("title") ?? "") }
            totals.insert(page.text("TotalResults", in: ns.entity) ?? "")
            next = page.text("Next", in: ns.entity)
        }
        let root = try XMLTree(try await fixture.client.get("/api/entity/root/children", token: token)).root
        await fixture.finish()
        #expect(pages == 2)
        #expect(totals == ["4"])
        #expect(seen.map(\.0) == ["SO", "SO", "IO", "IO"])
        #expect(seen.map(\.1).last == "Ledger (physical item)")
        #expect(seen.map(\.1).prefix(2) == ["Letters & Correspondence", "Maps and plans"])
        #expect(root.all("Child", in: ns.entity).compactMap { $0.attribute("ref") } == [Refs.collections, Refs.restricted])
        #expect(root.all("Next", in: ns.entity).isEmpty)
    }

    @Test("a versioned path pins the namespaces and the embedded links keep the version")
    func versionedPath() async throws {
        let fixture = try SimulatorFixture(SimulatorConfiguration(version: "7.7"))
        let token = try await fixture.client.login(fixture.simulator)
        let pinned = try await fixture.client.get("/api/entity/v6.10/information-objects/\(Refs.letterAsset)/representations", token: token)
        await fixture.finish()
        let root = try XMLTree(pinned).root
        #expect(root.uri == Namespaces("6.10").entity)
        let links = root.all("Representation", in: Namespaces("6.10").entity).compactMap(\.stringValue)
        #expect(links == [fixture.simulator.baseURL + "/api/entity/v6.10/information-objects/\(Refs.letterAsset)/representations/Preservation/1",
                          fixture.simulator.baseURL + "/api/entity/v6.10/information-objects/\(Refs.letterAsset)/representations/Access/1"])
    }

    @Test("identifiers, updated-since and assets added at run time")
    func identifiersAndUpdates() async throws {
        let fixture = try SimulatorFixture()
        let token = try await fixture.client.login(fixture.simulator)
        let ns = Namespaces("7.7")
        let identifiers = try XMLTree(try await fixture.client.get(
            "/api/entity/information-objects/\(Refs.letterAsset)/identifiers", token: token)).root
        let newRef = "11111111-2222-4333-8444-555555555555"
        fixture.simulator.add(SimulatedAsset(ref: newRef, title: "Nytt opptak", parent: Refs.maps, modified: "2030-01-01T00:00:00"))
        let updated = try XMLTree(try await fixture.client.get(
            "/api/entity/entities/updated-since?date=2029-12-31T00:00:00.000000%2B00:00&start=0&max=10", token: token)).root
        let added = try await fixture.client.get("/api/entity/information-objects/\(newRef)", token: token)
        await fixture.finish()
        let pairs = identifiers.all("Identifier", in: ns.xip).map { ($0.text("Type", in: ns.xip) ?? "", $0.text("Value", in: ns.xip) ?? "") }
        #expect(pairs.map(\.0) == ["code", "BatchId"])
        #expect(pairs.map(\.1) == ["BJ-1884-017", "batch-2025-03"])
        #expect(updated.all("Entity", in: ns.entity).compactMap { $0.attribute("ref") } == [newRef])
        #expect(updated.text("TotalResults", in: ns.entity) == "1")
        #expect(added.status == 200)
    }
}
