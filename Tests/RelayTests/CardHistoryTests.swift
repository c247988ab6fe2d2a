import Foundation
import Testing
import JSON
import Relay
import Preservica
import PreservicaSimulator

/// A move card says where the asset came from, and a security card what the tag was, when the
/// relay saw the asset before.
@Suite("Cards remember where an asset was")
struct CardHistoryTests {
    typealias Refs = SimulatorRepository.SampleRefs

    private func texts(_ message: ChatSinkMessage) -> [String] {
        var found: [String] = []
        func walk(_ value: JSONValue) {
            switch value {
            case .object(let object):
                if object["type"] == .string("TextBlock"), let text = object["text"]?.stringValue { found.append(text) }
                if let value = object["value"]?.stringValue { found.append(value) }
                for (_, item) in object { walk(item) }
            case .array(let items): items.forEach(walk)
            default: break
            }
        }
        walk(message.json ?? .null)
        return found
    }

    @Test("moved: the card says where from; security changed: the old tag beside the new")
    func moveAndSecurity() async throws {
        let fixture = try await PipelineFixture(
            channels: { [ChannelSettings(name: "curators", type: .teams, url: Secret($0.teamsWorkflowURL()))] },
            routes: [RouteSettings(channels: ["curators"])], triggers: [.ingested, .moved, .securityChanged])
        try await fixture.ingest([Refs.letterAsset])
        _ = await fixture.sink.waitForMessages(count: 1, timeout: .seconds(30))
        fixture.simulator.changeRepository { repository in
            if let index = repository.assets.firstIndex(where: { $0.ref == Refs.letterAsset }) { repository.assets[index].parent = Refs.maps }
        }
        _ = try await fixture.simulator.notify(trigger: "MOVED", refs: [Refs.letterAsset])
        let moved = await fixture.sink.waitForMessages(count: 2, timeout: .seconds(60))
        let movedTexts = moved.count == 2 ? texts(moved[1]) : []
        #expect(movedTexts.contains { $0.hasPrefix("In [Collections › Maps and plans](") })
        #expect(movedTexts.contains { $0.hasPrefix("From [Collections › Letters & Correspondence › Bjørnson family papers](") })

        fixture.simulator.changeRepository { repository in
            if let index = repository.assets.firstIndex(where: { $0.ref == Refs.letterAsset }) { repository.assets[index].securityTag = "closed" }
        }
        _ = try await fixture.simulator.notify(trigger: "CHANGED_SECURITY_DESCRIPTOR", refs: [Refs.letterAsset])
        let changed = await fixture.sink.waitForMessages(count: 3, timeout: .seconds(60))
        let changedTexts = changed.count == 3 ? texts(changed[2]) : []
        #expect(changedTexts.contains("closed (was open)"))
        // A card about an asset seen for the first time says nothing of before.
        #expect(!texts(moved[0]).contains { $0.hasPrefix("From [") })
        await fixture.stop()
    }

    @Test("every service's asset card says where a moved asset was and what a changed tag was, and that it is not known for an asset not seen before")
    func everyServiceRemembers() async throws {
        let targets = ChatSinkTarget.allCases.filter { $0 != .webhook }
        let fixture = try await PipelineFixture(
            channels: { sink in HostileDataTests.channels(sink).filter { $0.type != .webhook } },
            routes: [RouteSettings(channels: targets.map(\.rawValue))], triggers: [.ingested, .moved, .securityChanged])
        func move(_ ref: String, to folder: String) {
            fixture.simulator.changeRepository { repository in
                if let index = repository.assets.firstIndex(where: { $0.ref == ref }) { repository.assets[index].parent = folder }
            }
        }
        func retag(_ ref: String, to tag: String) {
            fixture.simulator.changeRepository { repository in
                if let index = repository.assets.firstIndex(where: { $0.ref == ref }) { repository.assets[index].securityTag = tag }
            }
        }
        func shown(_ messages: [ChatSinkMessage], from start: Int) -> [ChatSinkTarget: String] {
            Dictionary(messages.dropFirst(start).map { ($0.target, $0.shownTexts.joined(separator: "\n")) }, uniquingKeysWith: { $0 + "\n" + $1 })
        }
        try await fixture.ingest([Refs.letterAsset])
        var count = targets.count
        _ = await fixture.sink.waitForMessages(count: count, timeout: .seconds(30))
        /// Sends `trigger` about `ref` and returns what each service's card about it shows.
        func cards(after trigger: String, about ref: String) async throws -> [ChatSinkTarget: String] {
            _ = try await fixture.simulator.notify(trigger: trigger, refs: [ref])
            let messages = await fixture.sink.waitForMessages(count: count + targets.count, timeout: .seconds(60))
            defer { count += targets.count }
            return shown(messages, from: count)
        }

        move(Refs.letterAsset, to: Refs.maps)
        for (target, text) in try await cards(after: "MOVED", about: Refs.letterAsset) {
            #expect(text.contains("Bjørnson family papers"), "\(target.rawValue): \(text)")
        }

        retag(Refs.letterAsset, to: "closed")
        for (target, text) in try await cards(after: "CHANGED_SECURITY_DESCRIPTOR", about: Refs.letterAsset) {
            #expect(text.contains("closed (was open)"), "\(target.rawValue): \(text)")
        }

        // Moved before the relay ever carded it: where from is not known, and the card says so.
        move(Refs.tokyoMapAsset, to: Refs.letters)
        let unknown = try await cards(after: "MOVED", about: Refs.tokyoMapAsset)
        #expect(unknown.count == targets.count)
        for (target, text) in unknown {
            #expect(text.contains("not known"), "\(target.rawValue): \(text)")
        }

        // Its tag changed before the relay ever carded it: the tag before is not known, and the
        // card says so rather than show one tag under "Security changed".
        retag(Refs.albumAsset, to: "closed")
        for (target, text) in try await cards(after: "CHANGED_SECURITY_DESCRIPTOR", about: Refs.albumAsset) {
            #expect(text.contains("closed (the tag before is not known"), "\(target.rawValue): \(text)")
        }

        // Carded at the top level, then moved into a folder: it came from the top level.
        fixture.simulator.changeRepository { repository in
            if let index = repository.assets.firstIndex(where: { $0.ref == Refs.minutesAsset }) { repository.assets[index].parent = nil }
        }
        try await fixture.ingest([Refs.minutesAsset])
        count += targets.count
        _ = await fixture.sink.waitForMessages(count: count, timeout: .seconds(30))
        move(Refs.minutesAsset, to: Refs.maps)
        for (target, text) in try await cards(after: "MOVED", about: Refs.minutesAsset) {
            #expect(text.contains("the top level"), "\(target.rawValue): \(text)")
        }
        await fixture.stop()
    }
}
