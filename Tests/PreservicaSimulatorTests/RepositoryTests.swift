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
