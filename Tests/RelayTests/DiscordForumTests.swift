import Testing
import Foundation
import ChatTargets
import Relay
import PreservicaSimulator

/// A Discord forum channel's webhook takes a message only as a new post or in one: its first
/// refusal (400 code 220001) teaches the relay to start a post per card, named after the card.
@Suite("Discord forum channels")
struct DiscordForumTests {
    typealias Refs = SimulatorRepository.SampleRefs

    @Test("a forum channel's webhook gets each card as a post of its own named after the asset; a thread's URL posts into that thread")
    func postPerCard() async throws {
        let setup = try await PipelineFixture(channels: { sink in [
            ChannelSettings(name: "forum", type: .discord, url: Secret(sink.discordURL(name: "forum", forum: true))),
            ChannelSettings(name: "thread", type: .discord, url: Secret(sink.discordURL(name: "other-forum", forum: true) + "?thread_id=1200000000000000001")),
        ] }, routes: [RouteSettings(channels: ["forum", "thread"])])
        _ = try await setup.ingest([Refs.letterAsset, Refs.tokyoMapAsset], eventsPerPost: 1)
        #expect(await TargetLimitTests.eventually { setup.sink.received.filter { $0.isDelivered }.count == 4 })
        let received = setup.sink.received
        // Each webhook by its id, the path's fourth part: /api/webhooks/{id}/{token}.
        func id(_ url: String) -> String { URL(string: url)!.pathComponents[3] }
        let forum = received.filter { $0.path.contains(id(setup.sink.discordURL(name: "forum", forum: true))) }
        // One refusal teaches the channel; both cards then start posts.
        #expect(forum.map { $0.isDelivered } == [false, true, true], "\(forum.map { $0.outcome })")
        let names = forum.filter { $0.isDelivered }.compactMap { $0.json?.objectValue?["thread_name"]?.stringValue }
        #expect(Set(names) == ["Bjørnson: brev til Åse, 1884", "東京の地図"], "\(names)")
        // Into one thread: never refused, no thread_name.
        let thread = received.filter { $0.path.contains(id(setup.sink.discordURL(name: "other-forum", forum: true))) }
        #expect(thread.count == 2 && thread.allSatisfy { $0.isDelivered }, "\(thread.map { $0.outcome })")
        #expect(thread.allSatisfy { $0.json?.objectValue?["thread_name"] == nil })
        #expect(setup.outbox.deadJobs().isEmpty)
        await setup.stop()
    }

    @Test("a custom card's thread_name is fitted; on a channel that is no forum Discord refuses it (220003) and the default card goes")
    func customThreadName() async throws {
        let path = try TargetLimitTests.template(#"{"content":"Custom ${asset.title}","thread_name":"${asset.title}"}"#)
        let setup = try await PipelineFixture(channels: { sink in [
            ChannelSettings(name: "text", type: .discord, url: Secret(sink.discordURL(name: "text")), templates: ["asset": path]),
        ] }, routes: [RouteSettings(channels: ["text"])])
        _ = try await setup.ingest([Refs.letterAsset])
        #expect(await TargetLimitTests.eventually { setup.sink.received.contains { $0.isDelivered } })
        let received = setup.sink.received
        #expect(received.map { $0.isDelivered } == [false, true], "\(received.map { $0.outcome })")
        #expect(received.first?.json?.objectValue?["thread_name"]?.stringValue == "Bjørnson: brev til Åse, 1884")
        #expect(received.last?.json?.objectValue?["thread_name"] == nil && received.last?.bodyText.contains("Custom") == false)
        #expect(setup.outbox.deadJobs().isEmpty)
        await setup.stop()
    }

    @Test("a thread name is one line without controls or invisible format characters, at most 100 UTF-16 units, and never empty")
    func threadNames() {
        #expect(DiscordThreadName.fitted("Letters\nto  Åse\t1884") == "Letters to Åse 1884")
        #expect(DiscordThreadName.fitted("  \n ") == "Preservica")
        #expect(DiscordThreadName.fitted("\u{202E}fdp.exe") == "fdp.exe")
        #expect(DiscordThreadName.fitted("\u{200E}Letters\u{200B}") == "Letters")
        #expect(DiscordThreadName.fitted("\u{200B}\u{2060}\u{0007}") == "Preservica")
        let long = DiscordThreadName.fitted(String(repeating: "é", count: 150))
        #expect(long.utf16.count == 100 && long.hasSuffix("…"))
        // A character of several code points is not split, and counts as its UTF-16 units.
        let flags = DiscordThreadName.fitted(String(repeating: "🇳🇴", count: 60))
        #expect(flags.utf16.count <= 100 && flags.dropLast().allSatisfy { $0 == "🇳🇴" } && flags.count == 25)
        #expect(DiscordThreadName.fitted(String(repeating: "x", count: 100)) == String(repeating: "x", count: 100))
    }

    @Test("a Discord post carries the thread name it should: a card's own fitted, else the channel's, else none; other bodies are sent as they are")
    func shapedBodies() throws {
        let destination = ChatDestination(url: URL(string: "https://discord.com/api/webhooks/1/abc")!)
        var forum = destination
        forum.threadName = "Maps\nof Tokyo"
        func sent(_ body: String, to destination: ChatDestination) -> [String: Any] {
            let request = ChatTargetKind.discord.target.request(body: Array(body.utf8), to: destination, deliveryId: "d", timeout: .seconds(5))
            return (try? JSONSerialization.jsonObject(with: Data(request.body ?? []))) as? [String: Any] ?? [:]
        }
        let own = String(repeating: "y", count: 150)
        #expect(sent(#"{"content":"c","thread_name":"\#(own)"}"#, to: destination)["thread_name"] as? String == String(repeating: "y", count: 99) + "…")
        #expect(sent(#"{"content":"c","thread_name":null}"#, to: forum)["thread_name"] as? String == "Maps of Tokyo")
        #expect(sent(#"{"content":"c","thread_name":null}"#, to: destination)["thread_name"] == nil)
        #expect(sent(#"{"content":"c"}"#, to: forum)["thread_name"] as? String == "Maps of Tokyo")
        let plain = #"{"content":"c","embeds":[]}"#
        let request = ChatTargetKind.discord.target.request(body: Array(plain.utf8), to: destination, deliveryId: "d", timeout: .seconds(5))
        #expect(request.body == Array(plain.utf8))
    }
}
