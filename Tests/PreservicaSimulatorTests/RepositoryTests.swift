import Foundation
import Testing
import PreservicaSimulator

@Suite("Simulator: repository")
struct RepositoryTests {
    @Test("the sample is consistent and has what the tests and demo rely on")
    func sample() {
        let sample = SimulatorRepository.sample
        #expect(sample.firstProblem() == nil)
        #expect(sample.assets.first { $0.ref == SimulatorRepository.SampleRefs.albumAsset }?.activeBitstreams.count == 28)
        #expect(sample.assets.contains { $0.securityTag == "closed" })
        #expect(sample.assets.first { $0.ref == SimulatorRepository.SampleRefs.letterAsset }?.activeBitstreams.count == 2)
    }

    @Test("a seed file loads with defaults for what it leaves out, and a bad one names the problem")
    func seedFile() throws {
        let directory = FileManager.default.temporaryDirectory
        let good = directory.appendingPathComponent("seed-\(UUID()).json").path
        let bad = directory.appendingPathComponent("seed-\(UUID()).json").path
        defer {
            try? FileManager.default.removeItem(atPath: good)
            try? FileManager.default.removeItem(atPath: bad)
        }
        try #"""
        {"folders": [{"ref": "f1", "title": "Top"}],
         "assets": [{"ref": "a1", "title": "Report", "parent": "f1",
                     "representations": [{"type": "Preservation", "contentObjects": [{"ref": "c1", "title": "report",
                        "generations": [{"bitstreams": [{"filename": "report.pdf", "size": 1234, "sha256": "00"}]}]}]}]}]}
        """#.write(toFile: good, atomically: true, encoding: .utf8)
        try #"{"folders": [], "assets": [{"ref": "a1", "title": "x", "parent": "nowhere"}]}"#
            .write(toFile: bad, atomically: true, encoding: .utf8)
        let repository = try SimulatorRepository.load(path: good)
        #expect(repository.assets.first?.securityTag == "open")
        #expect(repository.assets.first?.activeBitstreams.map(\.size) == [1234])
        #expect(repository.assets.first?.representations.first?.contentObjects.first?.generations.first?.original == true)
        #expect(throws: SimulatorRepository.SeedError.self) { try SimulatorRepository.load(path: bad) }
        do {
            _ = try SimulatorRepository.load(path: bad)
        } catch {
            #expect("\(error)".contains("unknown parent nowhere"))
        }
    }
}

@Suite("Simulator: documented seed")
struct DocumentedSeedTests {
    @Test("the example seed in docs/ loads and is served")
    func documentedExample() async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let repository = try SimulatorRepository.load(path: root.path + "/docs/simulator-seed.example.json")
        let fixture = try SimulatorFixture(SimulatorConfiguration(repository: repository))
        let token = try await fixture.client.login(fixture.simulator)
        let asset = try await fixture.client.get("/api/entity/information-objects/a1b2c3d4-e5f6-4789-8abc-def012345678", token: token)
        let sample = try await fixture.client.get("/api/entity/information-objects/\(SimulatorRepository.SampleRefs.letterAsset)", token: token)
        await fixture.finish()
        #expect(repository.assets.first?.activeBitstreams.map(\.filename) == ["register.pdf"])
        #expect(asset.status == 200)
        #expect(asset.text.contains("Dåpsbok 1850–1870"))
        #expect(sample.status == 404)
    }
}
