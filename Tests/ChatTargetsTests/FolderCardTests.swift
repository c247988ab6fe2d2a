import ChatTargets
import Foundation
import JSON
import Testing

/// Folder events (deposit packages) get a folder card on every target, and a failure card says
/// what failed and where before any reference, and that Preservica gives no reason.
@Suite("Folder cards and failure cards")
struct FolderCardTests {
    @Test("a folder card shows the folder's title, where it sits, its item count and links to the folder", arguments: ChatTargetKind.allCases)
    func folderCard(target: ChatTargetKind) throws {
        let scenario = Rendering.scenario("folder")
        let text = JSONWriter.string(Rendering.body(target, .folder, scenario))
        let folderURL = try #require(scenario.model["asset"]?.text("url"))
        #expect(folderURL.contains("SO&50000000-0000-4000-8000-000000000001"))
        #expect(text.contains("Deposit 2023-10: Council minutes"))
        #expect(text.contains(folderURL))
        guard target != .webhook else { return }
        #expect(text.contains("Folder"))
        #expect(text.contains(target == .teams ? "Council minu 0 › Council minu 1" : "Council minu 0 / Council minu 1"))
        #expect(text.contains("12 (folders and assets directly inside)") || text.contains("Items: 12"))
        #expect(!text.contains("Files"))
    }

    @Test("a folder Preservica does not know is said to be unknown", arguments: ChatTargetKind.allCases.filter { $0 != .webhook })
    func unknownFolder(target: ChatTargetKind) {
        let text = JSONWriter.string(Rendering.body(target, .folder, Rendering.scenario("folder-not-found")))
        #expect(text.contains("Preservica does not know this folder"))
        #expect(text.contains("Folder 50000000-0000-4000-8000-000000000001"))
    }

    @Test("a failure card names what failed and where before the reference, and says Preservica gives no reason",
          arguments: ChatTargetKind.allCases.filter { $0 != .webhook })
    func failureCard(target: ChatTargetKind) throws {
        let text = JSONWriter.string(Rendering.body(target, .failure, Rendering.scenario("folder-ingest-failed")))
        let title = try #require(text.range(of: "Kirkebøger for Århus Domsogn"))
        let place = try #require(text.range(of: "Council minu 0 / Council minu 1"))
        let reason = try #require(text.range(of: "Preservica does not say why an ingest failed"))
        // The reference may also sit in a link or fallback text; the one shown as a reference comes after.
        let reference = try #require(text.range(of: "50000000-0000-4000-8000-000000000001", options: .backwards))
        #expect(title.lowerBound < place.lowerBound && place.lowerBound < reason.lowerBound && reason.lowerBound < reference.lowerBound)
        #expect(text.contains("Folder"))
    }

    @Test("a failure card links to Preservica's Process Monitor, and to the entity only when Preservica knows it",
          arguments: ChatTargetKind.allCases.filter { $0 != .webhook })
    func failureLinks(target: ChatTargetKind) throws {
        let monitor = "https://eu.preservica.com/monitor"
        for name in ["not-found", "folder-ingest-failed", "unavailable"] {
            let scenario = Rendering.scenario(name)
            let entity = try #require(scenario.model["asset"]?.text("url"))
            let text = JSONWriter.string(Rendering.body(target, .failure, scenario))
            #expect(text.contains(monitor), "\(name)")
            // Matrix writes links for HTML too, where & is &amp;.
            let linked = text.contains(entity) || text.contains(entity.replacingOccurrences(of: "&", with: "&amp;"))
            #expect(linked == (name != "not-found"), "\(name): \(text)")
        }
    }

    @Test("an asset whose details were unavailable is not called unknown", arguments: ChatTargetKind.allCases.filter { $0 != .webhook })
    func unavailable(target: ChatTargetKind) {
        let asset = JSONWriter.string(Rendering.body(target, .asset, Rendering.scenario("unavailable")))
        #expect(asset.contains("The details of this asset could not be read from Preservica"))
        #expect(!asset.contains("Preservica does not know"))
        let failure = JSONWriter.string(Rendering.body(target, .failure, Rendering.scenario("unavailable")))
        #expect(failure.contains("Details could not be read from Preservica"))
        #expect(!failure.contains("Unknown to Preservica"))
    }
}
