import Foundation
import JSON
import Preservica
import TestSupport
@testable import Relay

/// One channel's deliverer over a fresh data directory, on a ``ManualRelayClock`` and a
/// ``ScriptedTransport``, with the card planner a pipeline would give it.
final class DelivererRig: Sendable {
    /// The data directory, removed with the rig.
    let directory: String
    /// The one channel.
    let channel: ChannelSettings
    /// The clock every part reads; it moves only when the test moves it.
    let clock = ManualRelayClock()
    /// The chat service in memory.
    let transport: ScriptedTransport
    /// Digest buffers and folds, as the pipeline gives them to the deliverer.
    let planner: CardPlanner
    /// The deliverer under test.
    let deliverer: Deliverer
    /// What the deliverer could not write, handed to the next one as a reload does.
    private let unwrittenJobs = UnwrittenJobsStore()
    /// Addresses found gone, kept across reloads as the relay keeps them.
    private let gones = GoneStore()
    private let backoff: RetryBackoff
    private let released: @Sendable () -> UInt64
    private let withheld: @Sendable (UInt64, Int) -> Bool

    /// The outbox and dead letters in `directory`.
    var outbox: Outbox { Outbox(dataDirectory: directory) }

    init(channel: ChannelSettings, script: [ScriptedTransport.Answer] = [], otherwise: ScriptedTransport.Answer = .reply(200),
         backoff: RetryBackoff = RetryBackoff(), released: @escaping @Sendable () -> UInt64 = { .max },
         withheld: @escaping @Sendable (UInt64, Int) -> Bool = { _, _ in false }) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("deliverer-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory + "/outbox/" + channel.name, withIntermediateDirectories: true)
        self.channel = channel
        self.backoff = backoff
        self.released = released
        self.withheld = withheld
        transport = ScriptedTransport(script, otherwise: otherwise)
        var configuration = RelayConfiguration(dataDirectory: directory, webhookSecrets: [])
        configuration.channels = [channel]
        configuration.routes = [RouteSettings(channels: [channel.name])]
        let logger = Logger.silent
        planner = CardPlanner(configuration: configuration, logger: logger, clock: clock)
        deliverer = Deliverer(channels: [channel], dataDirectory: directory, planner: planner, logger: logger, metrics: Metrics(),
                              status: RelayStatus(), clock: clock, transport: transport, backoff: backoff,
                              released: released, withheld: withheld, unwrittenJobs: unwrittenJobs, gones: gones)
    }

    /// A new deliverer for the same channel, as a reload makes, given what the first one could not write.
    func reloaded() -> Deliverer {
        Deliverer(channels: [channel], dataDirectory: directory, planner: planner, logger: .silent, metrics: Metrics(),
                  status: RelayStatus(), clock: clock, transport: transport, backoff: backoff,
                  released: released, withheld: withheld, unwrittenJobs: unwrittenJobs, gones: gones)
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    /// A channel posting to a generic webhook, paced far above what the tests send.
    static func webhook(maxAttempts: Int = 10, maxAge: Duration = .seconds(86_400), digest: DigestSettings? = nil) -> ChannelSettings {
        var channel = ChannelSettings(name: "hook", type: .webhook, url: Secret("https://chat.example/hook"))
        channel.rateLimit = 1000
        channel.maxAttempts = maxAttempts
        channel.maxAge = maxAge
        channel.digest = digest
        return channel
    }

    /// Puts card `number` in the outbox; its body is `{"n":number}`.
    func queue(_ number: Int, nextAttemptAt: Int64 = 0) throws {
        try outbox.save(DeliveryJob(id: "job-\(number)", name: String(format: "%012d-0000.json", number), channel: channel.name,
                                    kind: "asset", event: "\(number)/0#ref", createdAt: Timestamp.iso8601(clock.now()),
                                    nextAttemptAt: nextAttemptAt, payload: .object(JSONObject([("n", .number(Double(number)))]))))
    }

    /// Plans `count` asset events of one notification through the planner, as the worker would.
    func plan(assets count: Int, sequence: UInt64 = 1, trigger: String = "FULL_TEXT_INDEXED") throws {
        let events = (0..<count).map { WebhookEvent(event: "e", entityType: "IO", entityRef: "ref-\($0)") }
        let notification = WebhookNotification(subscriptionId: "s", timestamp: "2027-01-15T08:00:00.000", tenant: "T", version: "7.7",
                                               trigger: trigger, events: events)
        for (index, event) in events.enumerated() {
            let asset = EnrichedAsset(ref: event.entityRef, asset: AssetEntity(ref: event.entityRef, title: "Asset \(index)", description: nil,
                                                                              securityTag: "open", parentRef: nil),
                                      path: [], bitstreams: [], identifiers: [], notFound: false, problems: [])
            _ = try planner.plan(sequence: sequence, eventIndex: index, notification: notification, event: event, asset: asset)
        }
    }

    /// The waiting jobs, oldest first.
    var pending: [DeliveryJob] { outbox.pending(channel: channel.name) }

    /// Runs the deliverer while `steps` run, then cancels it and waits for its loops to end.
    func running(_ chosen: Deliverer? = nil, _ steps: () async throws -> Void) async throws {
        let deliverer = chosen ?? self.deliverer
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { await deliverer.run() }
            try await steps()
            group.cancelAll()
        }
    }

    /// Waits until `posts` posts were made and the channel's loop sleeps on the clock again (so
    /// moving the clock now wakes it rather than racing it).
    func settled(posts: Int) async -> Bool {
        await eventually { transport.count == posts && clock.sleepers == 1 }
    }
}
