import Foundation
import Testing
import Relay
import Preservica
import PreservicaSimulator

/// Delivery ids (Matrix `txnId`, Standard Webhooks `webhook-id`) are unique across spools and
/// stable across retries of one card.
@Suite("Delivery ids")
struct DeliveryIdTests {
    typealias Refs = SimulatorRepository.SampleRefs

    private static func matrixChannel(_ sink: ChatSink) -> ChannelSettings {
        var channel = ChannelSettings(name: "room", type: .matrix, url: Secret(sink.matrixHomeserver))
        channel.room = "!curators:example.org"
        channel.token = Secret(sink.matrixAccessToken)
        return channel
    }

    @Test("two relays with their own spools post to one Matrix room, and the homeserver shows both cards")
    func twoSpoolsOneRoom() async throws {
        let first = try await PipelineFixture(channels: { [Self.matrixChannel($0)] }, routes: [RouteSettings(channels: ["room"])])
        // A second relay, its own data directory, the same Preservica and the same homeserver.
        let second = try RelayHarness(preservica: first.relay.configuration.preservica)
        second.configuration.channels = [Self.matrixChannel(first.sink)]
        second.configuration.routes = [RouteSettings(channels: ["room"])]
        try second.start()
        let subscriptions = SubscriptionClient(connection: try second.configuration.preservica!.connection())
        _ = try await subscriptions.create(url: second.webhookURL, trigger: .ingested, secret: RelayHarness.secret)

        // One ingest, notified to both relays: each sends its first card of its first notification.
        _ = try await first.ingest([Refs.letterAsset])
        let messages = await first.sink.waitForMessages(count: 2, timeout: .seconds(60))
        #expect(messages.count == 2)
        #expect(messages.allSatisfy { $0.isDelivered }, "\(messages.map(\.outcome))")
        #expect(Set(messages.map(\.path)).count == 2)
        #expect(first.sink.delivered.count == 2)
        await second.stop()
        await first.stop()
    }

    @Test("a retried Matrix card keeps its transaction id")
    func retryKeepsTheId() async throws {
        let setup = try await PipelineFixture(channels: { [Self.matrixChannel($0)] }, routes: [RouteSettings(channels: ["room"])])
        setup.sink.script(.matrix, replies: [.matrixLimitExceeded(retryAfterMs: 300)])
        _ = try await setup.ingest([Refs.letterAsset])
        let messages = await setup.sink.waitForMessages(count: 2, timeout: .seconds(60))
        #expect(messages.map(\.status) == [429, 200])
        #expect(messages.count == 2 && messages[0].path == messages[1].path)
        await setup.stop()
    }

    @Test("a webhook-id has no '.', even for a channel whose name has one, and stays the same on a retry")
    func webhookIdWithoutDot() async throws {
        let secret = "whsec_" + Data("a secret of thirty-two bytes....".utf8).base64EncodedString()
        let setup = try await PipelineFixture(sink: ChatSinkConfiguration(webhookSecret: secret),
                                              channels: { [ChannelSettings(name: "ops.archive", type: .webhook, url: Secret($0.webhookURL()),
                                                                           token: Secret(secret))] },
                                              routes: [RouteSettings(channels: ["ops.archive"])])
        setup.sink.script(.webhook, replies: [.serverError(503, retryAfter: 1)])
        _ = try await setup.ingest([Refs.letterAsset])
        let messages = await setup.sink.waitForMessages(count: 2, timeout: .seconds(60))
        #expect(messages.map(\.status) == [503, 200])
        let ids = messages.compactMap { $0.headers["webhook-id"] }
        #expect(ids.count == 2 && ids[0] == ids[1])
        #expect(ids.allSatisfy { !$0.contains(".") && !$0.isEmpty }, "\(ids)")
        #expect(messages.last?.isDelivered == true)
        await setup.stop()
    }

    @Test("a Google Chat card whose reply was lost is shown once: its retry carries the same requestId")
    func googleChatRequestId() async throws {
        let setup = try await PipelineFixture(channels: { [ChannelSettings(name: "space", type: .googleChat, url: Secret($0.googleChatURL()))] },
                                              routes: [RouteSettings(channels: ["space"])])
        setup.sink.loseNextGoogleChatReplies(1)
        _ = try await setup.ingest([Refs.letterAsset])
        let messages = await setup.sink.waitForMessages(count: 2, timeout: .seconds(60))
        #expect(messages.map(\.status) == [503, 200])
        #expect(setup.sink.delivered.count == 1, "shown once, not twice")
        let ids = messages.compactMap { $0.query["requestId"] }
        #expect(ids.count == 2 && ids[0] == ids[1] && !ids[0].isEmpty, "\(ids)")
        await setup.stop()
    }
}
