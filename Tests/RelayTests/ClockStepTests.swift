import Testing
import Foundation
import ChatTargets
import JSON
@testable import Relay
import PreservicaSimulator

/// A wall clock stepped back, or a hand-edited job file, must not stall a channel.
@Suite("Clock steps")
struct ClockStepTests {
    private static let day: Int64 = 86_400_000

    @Test("a next attempt further ahead than the wait chosen for it is pulled in; one within it is kept")
    func clamp() {
        let now: Int64 = 1_800_000_000_000
        var job = DeliveryJob(id: "1-0-ops", name: "000000000001-0000.json", channel: "ops", kind: "asset", event: "1/0#r",
                              createdAt: "2026-11-30T10:00:00.000Z", attempts: 1, nextAttemptAt: now + 10 * Self.day, payload: .null)
        // No recorded wait (a hand edit): the backoff ceiling after one attempt, 1 s.
        #expect(AttemptSchedule.clamped(job, now: now) == now + 1000)
        job.attempts = 30
        #expect(AttemptSchedule.clamped(job, now: now) == now + AttemptSchedule.backoffCeiling)
        job.waitMs = 3_600_000  // a long Retry-After, as recorded at the retry
        #expect(AttemptSchedule.clamped(job, now: now) == now + 3_600_000)
        job.nextAttemptAt = now + 3_000_000
        #expect(AttemptSchedule.clamped(job, now: now) == nil)
        job.nextAttemptAt = now - Self.day
        #expect(AttemptSchedule.clamped(job, now: now) == nil)
    }

    @Test("a waiting job whose next attempt lies ten days ahead is delivered without waiting for the clock")
    func farFutureJobIsDelivered() async throws {
        let sink = ChatSink(configuration: ChatSinkConfiguration())
        try sink.start()
        let relay = try RelayHarness()
        relay.configuration.channels = [ChannelSettings(name: "ops", type: .slack, url: Secret(sink.slackURL()))]
        relay.configuration.routes = [RouteSettings(channels: ["ops"])]
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        var job = DeliveryJob(id: "1-0-ops", name: "000000000001-0000.json", channel: "ops", kind: "asset", event: "1/0#r",
                              createdAt: Timestamp.iso8601(Date().addingTimeInterval(3600)), attempts: 1,
                              nextAttemptAt: now + 10 * Self.day, payload: .object(JSONObject([("text", .string("stepped"))])))
        job.waitMs = 500
        try Outbox(dataDirectory: relay.configuration.dataDirectory).save(job)
        try relay.start()
        do {
            // Created "in the future" (the clock went back): its age reads 0, never negative.
            let metrics = try #require(relay.service?.metrics)
            #expect(metrics.exposition().contains("preservica_relay_oldest_job_age_seconds 0\n"))
            let received = await sink.waitForMessages(count: 1, timeout: .seconds(15))
            #expect(received.count == 1)
            #expect(relay.log.contains("pulled in"))
        } catch {
            await relay.stop()
            await sink.stop()
            throw error
        }
        await relay.stop()
        await sink.stop()
    }
}
