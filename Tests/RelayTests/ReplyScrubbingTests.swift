import Foundation
import Testing
import ChatTargets
import Relay
import PreservicaSimulator
import TestSupport

/// A chat service (or a proxy in front of it) may echo the request's path in an error reply,
/// `Cannot POST /services/T…/B…/<key>`: that path is the channel's key, and must not reach the
/// log, the status page or `dead/` through the reply.
@Suite("Replies that echo the webhook URL")
struct ReplyScrubbingTests {
    typealias Refs = SimulatorRepository.SampleRefs

    @Test("a reply echoing the webhook's path or query keeps its key out of the log, the status page and dead/")
    func echoedKeyIsScrubbed() async throws {
        let fixture = try await PipelineFixture(
            channels: { [ChannelSettings(name: "alerts", type: .slack, url: Secret($0.slackURL(channel: "alerts")))] },
            routes: [RouteSettings(channels: ["alerts"])],
            beforeStart: { sink in
                let path = URL(string: sink.slackURL(channel: "alerts"))!.path
                let key = URL(string: sink.slackURL(channel: "alerts"))!.lastPathComponent
                sink.script(.slack, replies: [.text(404, "Cannot POST \(path)?token=\(key) (\(path.replacingOccurrences(of: "/", with: "%2F")))")],
                            repeatingLast: true)
            })
        let key = URL(string: fixture.sink.slackURL(channel: "alerts"))!.lastPathComponent
        try await expectKeysKeptOut([key], fixture)
    }

    /// Ingests an asset whose card the service refuses with a reply that echoes `keys`, and
    /// checks that no key is in the log, the status page, `dead/` or the audit log, while the
    /// rest of the reply is.
    private func expectKeysKeptOut(_ keys: [String], _ fixture: PipelineFixture) async throws {
        try await fixture.ingest([Refs.letterAsset])
        let dead = Outbox(dataDirectory: fixture.relay.configuration.dataDirectory)
        #expect(await eventually { !dead.deadJobs().isEmpty })
        let client = try fixture.relay.client()
        try await client.send("GET / HTTP/1.1\r\nHost: relay\r\n\r\n")
        let page = try await client.readResponse()
        for (place, text) in [("log", fixture.relay.log), ("status page", page.bodyText),
                              ("dead/", dead.deadJobs().map(\.lastReply).joined()), ("audit", fixture.audit)] {
            #expect(!keys.contains(where: text.contains), "\(place) shows a key")
        }
        #expect(dead.deadJobs().first?.lastReply.contains("Cannot POST") == true, "the rest of the reply stays")
        await fixture.stop()
    }

    /// A generic webhook's key can be short: a receiver's own id (`/hooks/generic/catalog`,
    /// Home Assistant's `/api/webhook/my_hook`) or `?token=abc123`.
    @Test("a reply echoing a generic webhook's short path and token keeps both out of the log, the status page and dead/")
    func shortKeysAreScrubbed() async throws {
        let fixture = try await PipelineFixture(
            channels: { [ChannelSettings(name: "hook", type: .webhook, url: Secret($0.webhookURL(name: "catalog") + "?token=abc123&v=2"),
                                         maxAttempts: 1)] },
            routes: [RouteSettings(channels: ["hook"])],
            beforeStart: { sink in
                sink.script(.webhook, replies: [.text(404, "Cannot POST /hooks/generic/catalog?token=abc123&v=2 (token abc123, hook catalog)")],
                            repeatingLast: true)
            })
        try await expectKeysKeptOut(["abc123", "catalog"], fixture)
    }
}
