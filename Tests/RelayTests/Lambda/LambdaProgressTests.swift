import Foundation
import JSON
@testable import Relay
import Testing

/// What an invocation waits for before it answers, read from the spool.
@Suite("Lambda delivery progress")
struct LambdaProgressTests {
    @Test("a card's next attempt is read again once its job is rewritten, and a card gone is no longer waited for")
    func followsRewrites() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lambda-progress-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let outbox = Outbox(dataDirectory: directory)
        func job(_ sequence: Int, next: Int64) -> DeliveryJob { DeliveryJob.test(sequence, channel: "ops", nextAttemptAt: next) }
        let progress = LambdaDeliveryProgress(dataDirectory: directory, channels: ["ops"])
        try outbox.save(job(0, next: 0))
        var state = progress.snapshot(endMs: 1_000)
        #expect(state.waiting == 1 && state.due == 1)
        // The deliverer defers the card past the end of the wait: the same path, rewritten.
        try outbox.save(job(0, next: 5_000))
        state = progress.snapshot(endMs: 1_000)
        #expect(state.waiting == 1 && state.due == 0)
        outbox.remove(job(0, next: 5_000))
        state = progress.snapshot(endMs: 1_000)
        #expect(state.waiting == 0 && state.due == 0)
    }
}
