import TestSupport
import Foundation
import Testing
@testable import Relay
import Preservica
import JSON
import PreservicaSimulator

/// The status page as an operator reads it: health per channel in words, recent cards by title with
/// links into Preservica, dead letters with the service's reply.
@Suite("Status page")
struct StatusPageTests {
    @Test("while Preservica's Retry-After lasts the page says for how long, in seconds or about so many minutes")
    func retryAfterNotice() {
        #expect(StatusPage.waitNotice(nil).isEmpty && StatusPage.waitNotice(.zero).isEmpty)
        #expect(StatusPage.waitNotice(.milliseconds(45_200)).contains("for 46 more seconds."))
        #expect(StatusPage.waitNotice(.milliseconds(500)).contains("for 1 more second."))
        #expect(StatusPage.waitNotice(.seconds(150)).contains("for about 2 more minutes."))
    }

    @Test("while Preservica's Retry-After lasts, a held event's next attempt is shown no sooner than the wait's end")
    func nextAttemptAfterWait() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let held = HeldNotification(sequence: 7, receivedAt: "", body: [], events: [0], refs: ["a"], heldSince: now, attempts: 1,
                                    problem: "Preservica answered 429", nextAttempt: now.addingTimeInterval(60))
        func page(_ wait: Duration?) -> String {
            StatusPage.render(status: RelayStatus(), channels: [], counts: SpoolCounts(incoming: 0, outbox: 0, dead: 0), dead: [],
                              held: [held], preservicaWait: wait, now: now)
        }
        #expect(page(nil).contains(RelativeTime.exact(now.addingTimeInterval(60))))
        #expect(page(.seconds(600)).contains(RelativeTime.exact(now.addingTimeInterval(600))))
        #expect(page(.seconds(10)).contains(RelativeTime.exact(now.addingTimeInterval(60))))
        // A hold that ends before the wait does: its cards go out then, without asking.
        let ending = StatusPage.render(status: RelayStatus(), channels: [], counts: SpoolCounts(incoming: 0, outbox: 0, dead: 0), dead: [],
                                       held: [held], preservicaWait: .seconds(600), hold: HoldPolicy(holdFor: .seconds(300)), now: now)
        #expect(ending.contains(RelativeTime.exact(now.addingTimeInterval(300))))
    }

    @Test("each channel keeps its own last 20 attempts: a quiet channel's failure outlasts a busy channel's deliveries")
    func historyPerChannel() {
        let status = RelayStatus()
        status.record(channel: "letters", job: "1", outcome: "dead", detail: "Teams answered 404")
        for index in 0..<25 { status.record(channel: "busy", job: "b\(index)", outcome: "delivered", detail: "HTTP 200") }
        #expect(status.recentAttempts.allSatisfy { $0.channel == "busy" }, "the overall list keeps the last 20")
        #expect(status.recentAttempts(channel: "letters").map(\.detail) == ["Teams answered 404"])
        #expect(status.recentAttempts(channel: "busy").count == 20)
        #expect(status.recentAttempts(channel: "busy").first?.job == "b24", "newest first")
    }

    typealias Refs = SimulatorRepository.SampleRefs

    @Test("one row per channel with its health; cards by title linked into Preservica; dead letters with the reply")
    func readsAtAGlance() async throws {
        let fixture = try await PipelineFixture(
            channels: { sink in [
                ChannelSettings(name: "curators", type: .teams, url: Secret(sink.teamsWorkflowURL())),
                ChannelSettings(name: "busy", type: .slack, url: Secret(sink.slackURL())),
                ChannelSettings(name: "broken", type: .mattermost, url: Secret(sink.mattermostURL())),
            ] },
            routes: [RouteSettings(channels: ["curators", "busy", "broken"])],
            beforeStart: { sink in
                sink.script(.slack, replies: [.slackThrottled(retryAfter: 30)], repeatingLast: true)
                sink.script(.mattermost, replies: [.mattermostError(400, id: "web.incoming_webhook.text.app_error", message: "Invalid webhook text")])
            })
        try await fixture.ingest([Refs.minutesAsset])
        _ = await fixture.sink.waitForMessages(count: 3, timeout: .seconds(60))
        let client = try fixture.relay.client()
        var page = ""
        // The outcomes are recorded just after the replies arrive; wait for the last of them.
        _ = try await eventually {
            try await client.send("GET / HTTP/1.1\r\nHost: relay\r\n\r\n")
            page = try await client.readResponse().bodyText
            return page.contains(">failing<") && page.contains(">throttled<") && page.contains(">delivering<")
        }
        #expect(page.contains("2 of 3 channels need attention."))
        #expect(page.contains("<span class=\"badge good\">delivering</span>"))
        #expect(page.contains("<span class=\"badge warning\">throttled</span>"))
        #expect(page.contains("<span class=\"badge attention\">failing</span>"))
        // The title is escaped and linked to the asset in Preservica.
        #expect(page.contains(">Minutes of the Board, 1921 &lt;draft&gt; &amp; notes</a>"))
        #expect(page.contains("href=\"\(fixture.simulator.baseURL)/explorer/explorer.html#properties:IO&amp;\(Refs.minutesAsset)\""))
        // The dead letter says what the service answered; times read relative, exact on hover.
        #expect(page.contains("Invalid webhook"))
        #expect(page.contains("just now</time>"))
        #expect(page.contains("<meta http-equiv=\"refresh\""))
        #expect(!page.contains("<script") && !page.contains("/hooks/") && !page.contains("/services/"))
        await fixture.stop()
    }
}

/// What the status page lists of `dead/`: the newest, read alone.
@Suite("Status page dead letters")
struct StatusPageDeadLetterTests {
    @Test("the newest dead letters across channels come first, fifty at most, and all are counted")
    func newestFirst() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dead-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let outbox = Outbox(dataDirectory: directory)
        func job(_ channel: String, _ sequence: Int) -> DeliveryJob {
            var job = DeliveryJob.test(sequence, channel: channel)
            job.title = "\(channel) \(sequence)"
            return job
        }
        let long = Date(timeIntervalSinceNow: -86_400)
        for sequence in 100..<160 {
            try outbox.bury(job("archive", sequence))
            try FileManager.default.setAttributes([.modificationDate: long], ofItemAtPath: "\(directory)/dead/archive/" + job("archive", sequence).name)
        }
        try outbox.bury(job("curators", 7))
        // Damaged, and newer than all: counted, never shown, and no reason to show fewer.
        try Data("{".utf8).write(to: URL(fileURLWithPath: directory + "/dead/curators/000000000008-0000.json"))
        let recent = outbox.recentDeadJobs(limit: 50)
        #expect(recent.total == 62)
        #expect(recent.jobs.count == 50)
        #expect(recent.jobs.first?.title == "curators 7", "\(recent.jobs.prefix(3).map(\.title))")
    }
}
