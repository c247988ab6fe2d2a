import Foundation
import ChatTargets
import JSON
import Testing
import Relay
import Preservica
import PreservicaSimulator

/// Values from Preservica are data, never markup: a hostile title, description, folder name, file
/// name and identifier reach every chat service as text, and a redacted asset shows none of them.
@Suite("Data from Preservica is never markup")
struct HostileDataTests {
    typealias Refs = SimulatorRepository.SampleRefs

    static let hostileAsset = "0badc0de-0000-4000-8000-00000000e711"
    static let hostileFolder = "0badc0de-0000-4000-8000-00000000f01d"
    /// Every trick each service's markup offers: a Markdown link and image, Slack and Google Chat
    /// tokens, mass mentions, Discord user mentions, HTML and bare URLs.
    static let hostileText = "[Re-authenticate your account](https://evil.example/login) <!channel> @here @everyone @all @room "
        + "<@U024BE7LH> <@&123456> <users/all> <https://evil.example/s|click> ![x](https://evil.example/p.png) "
        + "<a href=\"https://evil.example/a\">a</a> <img src=\"https://evil.example/i.png\"> www.evil.example javascript://evil.example"

    static var repository: SimulatorRepository {
        var repository = SimulatorRepository.sample
        repository.folders.append(SimulatedFolder(ref: hostileFolder, title: "Inbox " + hostileText, parent: Refs.collections))
        repository.assets.append(SimulatedAsset(
            ref: hostileAsset, title: hostileText, description: "Description " + hostileText, parent: hostileFolder,
            identifiers: [SimulatedIdentifier(type: "code", value: "@here [id](https://evil.example/id)")],
            representations: [SimulatedRepresentation(type: "Preservation", contentObjects: [
                SimulatedContentObject(ref: "0badc0de-0000-4000-8000-0000000c0001", title: "co", generations: [
                    SimulatedGeneration(bitstreams: [SimulatedBitstream(filename: "[f](https://evil.example/f) @channel.pdf", size: 1_024,
                                                                        sha256: String(repeating: "a", count: 64))]),
                ]),
            ])]))
        if let closed = repository.assets.firstIndex(where: { $0.ref == Refs.closedAsset }) {
            repository.assets[closed].identifiers = [SimulatedIdentifier(type: "code", value: "PF-1950-SECRET")]
            repository.assets[closed].description = "Named staff member's grievance"
        }
        return repository
    }

    /// One channel of every chat service, all routed, all with the given security tag policy.
    static func channels(_ sink: ChatSink, policy: SecurityTagPolicy = SecurityTagPolicy()) -> [ChannelSettings] {
        ChatSinkTarget.allCases.map { target in
            // The sink names each service as the configuration does.
            ChannelSettings(name: target.rawValue, type: ChatTargetKind(rawValue: target.rawValue)!,
                            url: Secret(target == .matrix ? sink.matrixHomeserver : sink.url(for: target)),
                            room: target == .matrix ? "!relay:sink.local" : nil,
                            token: target == .matrix ? Secret(sink.matrixAccessToken) : nil,
                            securityTags: policy)
        }
    }

    @Test("a hostile title, description, folder, file name and identifier form no link, image or mention on any service")
    func hostileValuesStayText() async throws {
        let fixture = try await PipelineFixture(simulator: SimulatorConfiguration(password: "pw", repository: Self.repository),
                                                channels: { Self.channels($0) },
                                                routes: [RouteSettings(channels: ChatSinkTarget.allCases.map(\.rawValue))])
        try await fixture.ingest([Self.hostileAsset])
        let messages = await fixture.sink.waitForMessages(count: ChatSinkTarget.allCases.count, timeout: .seconds(20)) { $0.isDelivered }
        #expect(Set(messages.map(\.target)) == Set(ChatSinkTarget.allCases))
        for message in messages {
            let live = message.liveMarkup
            #expect(!live.contains { $0.contains("evil") }, "\(message.target.rawValue): \(live)")
            #expect(!live.contains { $0.hasPrefix("mention") }, "\(message.target.rawValue): \(live)")
            // The words themselves still show: escaped, not removed.
            #expect(message.bodyText.contains("authenticate your account"), "\(message.target.rawValue)")
        }
        await fixture.stop()
    }

    @Test("a redacted asset shows no title, description, folder, file name or identifier on any service")
    func redactionHidesEverything() async throws {
        let fixture = try await PipelineFixture(
            simulator: SimulatorConfiguration(password: "pw", repository: Self.repository),
            channels: { Self.channels($0, policy: SecurityTagPolicy(deny: ["closed"], redact: true)) },
            routes: [RouteSettings(channels: ChatSinkTarget.allCases.map(\.rawValue))])
        try await fixture.ingest([Refs.closedAsset])
        let messages = await fixture.sink.waitForMessages(count: ChatSinkTarget.allCases.count, timeout: .seconds(20)) { $0.isDelivered }
        #expect(Set(messages.map(\.target)) == Set(ChatSinkTarget.allCases))
        for message in messages {
            let text = message.bodyText
            for secret in ["Personnel file", "grievance", "Restricted records", "personnel-file.pdf", "PF-1950-SECRET"] {
                #expect(!text.contains(secret), "\(message.target.rawValue) shows \(secret)")
            }
            #expect(text.contains("details hidden"), "\(message.target.rawValue)")
        }
        await fixture.stop()
    }

    @Test("the HTML picture of a card links only to http and https")
    func pictureLinksOnlyToTheWeb() {
        let card = JSONValue.object(JSONObject([
            ("type", .string("AdaptiveCard")),
            ("body", .array([
                .object(JSONObject([("type", .string("TextBlock")), ("text", .string("[open](javascript:alert(1)) [ok](https://ok.example)"))])),
                .object(JSONObject([("type", .string("Image")), ("url", .string("data:image/png;base64,AAAA"))])),
            ])),
            ("actions", .array([.object(JSONObject([("type", .string("Action.OpenUrl")), ("title", .string("Go")),
                                                    ("url", .string("JavaScript:alert(2)"))]))])),
        ]))
        let page = CardHTML.page(card, title: "t")
        #expect(!page.lowercased().contains("javascript:"))
        #expect(!page.contains("data:image"))
        #expect(page.contains("href=\"https://ok.example\""))
        #expect(page.contains(">open) <a"))
    }
}
