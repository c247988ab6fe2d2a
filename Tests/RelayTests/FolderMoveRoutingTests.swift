import Foundation
import Testing
import ChatTargets
import Relay
import PreservicaSimulator

/// Routes match on the folder path, which is built from folders the relay keeps for a while. A
/// folder that moves must not keep routing by where it was.
@Suite("A moved folder routes by where it is now")
struct FolderMoveRoutingTests {
    typealias Refs = SimulatorRepository.SampleRefs

    @Test("after a folder's MOVED event, the next asset ingested into it goes to the channels of its new place")
    func movedFolderRoutesAnew() async throws {
        let fixture = try await PipelineFixture(
            channels: { [ChannelSettings(name: "letters", type: .teams, url: Secret($0.teamsWorkflowURL())),
                         ChannelSettings(name: "maps", type: .slack, url: Secret($0.slackURL()))] },
            routes: [RouteSettings(folder: Refs.letters, channels: ["letters"]), RouteSettings(folder: Refs.maps, channels: ["maps"])],
            triggers: [.ingested, .moved])
        // The letter lies in Bjørnson family papers, inside Letters: its card goes to "letters",
        // and the relay now knows the papers' folder as inside Letters.
        try await fixture.ingest([Refs.letterAsset])
        let first = await fixture.sink.waitForMessages(count: 1, timeout: .seconds(60)) { $0.isDelivered }
        #expect(first.map(\.target) == [.teams])

        // The papers move into Maps and plans; Preservica says so for the folder (an SO event,
        // which no route here takes).
        fixture.simulator.changeRepository { repository in
            if let index = repository.folders.firstIndex(where: { $0.ref == Refs.bjornsonPapers }) { repository.folders[index].parent = Refs.maps }
        }
        _ = try await fixture.simulator.notify(trigger: "MOVED", refs: [Refs.bjornsonPapers])
        let later = "7fdea7e0-1e72-4fb1-aadb-d7f9ee6ed8c3"
        fixture.simulator.add(SimulatedAsset(ref: later, title: "Later letter", description: nil, parent: Refs.bjornsonPapers))
        try await fixture.ingest([later])
        let all = await fixture.sink.waitForMessages(count: 2, timeout: .seconds(60)) { $0.isDelivered }
        #expect(all.dropFirst().map(\.target) == [.slack], "\(all.map(\.target))")
        await fixture.stop()
    }
}
