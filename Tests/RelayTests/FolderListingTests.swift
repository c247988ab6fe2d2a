import Foundation
import Testing
import Preservica
import PreservicaSimulator

/// The console's folder browser lists a folder's children page by page, as Preservica serves them.
@Suite("Listing a folder's children")
struct FolderListingTests {
    typealias Refs = SimulatorRepository.SampleRefs

    /// A broken or hostile server whose `Next` names the page just served: an empty folder kept
    /// the request asking for ever, and a full one listed its children again until the limit.
    @Test("a Next link back to the same page ends the listing, with each child (and each changed entity) once")
    func repeatingNext() async throws {
        let emptyFolder = "e0e0e0e0-0000-4000-8000-000000000e11"
        var repository = SimulatorRepository.sample
        repository.folders.append(SimulatedFolder(ref: emptyFolder, title: "Nothing yet", parent: Refs.collections))
        let simulator = PreservicaSimulator(configuration: SimulatorConfiguration(password: "pw", repository: repository,
                                                                                  faults: SimulatorFaults(pagingRepeats: true)))
        try simulator.start()
        let entities = EntityClient(connection: try PreservicaConnection(credentials: PreservicaCredentials(
            server: simulator.baseURL, username: simulator.configuration.username, password: "pw", tenant: simulator.configuration.tenant)))
        let empty = try await entities.children(of: emptyFolder)
        #expect(empty.isEmpty)
        let letters = try await entities.children(of: Refs.letters)
        #expect(!letters.isEmpty)
        #expect(Set(letters.map(\.ref)).count == letters.count, "a child listed twice")
        #expect(simulator.requestLog.filter { $0.contains("/children") }.count <= 4)
        // The catch-up's list of what changed pages the same way.
        let changed = try await entities.updatedSince("2000-01-01T00:00:00Z", pageSize: 2)
        #expect(!changed.isEmpty)
        #expect(Set(changed.map(\.ref)).count == changed.count, "an entity listed twice")
        #expect(simulator.requestLog.filter { $0.contains("updated-since") }.count <= 3)
        await simulator.stop()
    }
}
