import Preservica
import Testing
@testable import Relay

@Suite("Notifications handed from the receiver to the worker")
struct SpooledNotificationsTests {
    private func notification(_ ref: String) -> WebhookNotification {
        WebhookNotification(subscriptionId: "s", timestamp: "1", tenant: "t", version: "1", trigger: "FULL_TEXT_INDEXED",
                            events: [WebhookEvent(event: "FULL_TEXT_INDEXED", entityType: "IO", entityRef: ref)])
    }

    /// An entry for `sequence` whose record is `bytes` long and starts where `sequence - 1`'s ended.
    private func entry(_ ref: String, sequence: UInt64, bytes: Int = 100, segment: Int = 1) -> WebhookReceiver.Spooled {
        let metadata = ReceiptMetadata(receivedAt: "2026-01-01T00:00:00.000Z", peer: "p", secretIndex: 0, trigger: "FULL_TEXT_INDEXED",
                                       events: 1, key: ref)
        return WebhookReceiver.Spooled(record: JournalRecord(sequence: sequence, metadata: metadata, body: Array(repeating: 0x20, count: bytes)),
                                       notification: notification(ref),
                                       extent: JournalExtent(segment: segment, start: (sequence - 1) * 1000, end: sequence * 1000))
    }

    @Test("each is taken once, by its sequence")
    func takenOnce() {
        let spooled = SpooledNotifications()
        spooled.keep(entry("a", sequence: 1, bytes: 100))
        spooled.keep(entry("b", sequence: 2, bytes: 100))
        #expect(spooled.take(1)?.events[0].entityRef == "a")
        #expect(spooled.take(1) == nil)
        #expect(spooled.take(2)?.events[0].entityRef == "b")
        #expect(spooled.count == 0)
    }

    @Test("taking a later sequence drops the older ones the worker passed")
    func olderDropped() {
        let spooled = SpooledNotifications()
        for sequence in UInt64(1)...5 { spooled.keep(entry("n\(sequence)", sequence: sequence)) }
        #expect(spooled.take(4)?.events[0].entityRef == "n4")
        #expect(spooled.take(2) == nil)
        #expect(spooled.count == 1)
        #expect(spooled.take(5)?.events[0].entityRef == "n5")
    }

    @Test("beyond its capacity, or out of order, a notification is not kept and the worker parses it")
    func bounded() {
        let spooled = SpooledNotifications(capacity: 3)
        for sequence in UInt64(1)...5 { spooled.keep(entry("n\(sequence)", sequence: sequence)) }
        #expect(spooled.count == 3)
        #expect(spooled.take(4) == nil)
        spooled.keep(entry("n7", sequence: 7, bytes: 100))
        spooled.keep(entry("late", sequence: 6, bytes: 100))
        #expect(spooled.take(6) == nil)
        #expect(spooled.take(7)?.events[0].entityRef == "n7")
        #expect(spooled.count == 0)
    }

    @Test("bodies beyond the byte budget are not kept, and taking frees the budget")
    func byteBudget() {
        let spooled = SpooledNotifications(capacity: 100, byteBudget: 1000)
        spooled.keep(entry("a", sequence: 1, bytes: 600))
        spooled.keep(entry("big", sequence: 2, bytes: 600))
        spooled.keep(entry("c", sequence: 3, bytes: 400))
        #expect(spooled.count == 2)
        #expect(spooled.take(1) != nil)
        #expect(spooled.take(2) == nil)
        spooled.keep(entry("d", sequence: 4, bytes: 600))
        #expect(spooled.take(3)?.events[0].entityRef == "c")
        #expect(spooled.take(4)?.events[0].entityRef == "d")
    }

    @Test("a long run keeps its storage small")
    func longRun() {
        let spooled = SpooledNotifications(capacity: 100)
        for sequence in UInt64(1)...10_000 {
            spooled.keep(entry("n", sequence: sequence, bytes: 100))
            if sequence > 50 { #expect(spooled.take(sequence - 50) != nil) }
        }
        #expect(spooled.count == 50)
    }

    @Test("a run is taken only while each record starts where the last one ended")
    func runFollowsOn() {
        let spooled = SpooledNotifications()
        for sequence in UInt64(1)...3 { spooled.keep(entry("n\(sequence)", sequence: sequence)) }
        spooled.keep(entry("n5", sequence: 5))
        #expect(spooled.takeRun(segment: 1, offset: 500, after: 0, limit: 10).isEmpty, "not where the worker stands")
        let run = spooled.takeRun(segment: 1, offset: 0, after: 0, limit: 2)
        #expect(run.map(\.sequence) == [1, 2])
        #expect(spooled.takeRun(segment: 1, offset: 2000, after: 2, limit: 10).map(\.sequence) == [3], "stops at the gap")
        #expect(spooled.takeRun(segment: 1, offset: 3000, after: 3, limit: 10).isEmpty)
        #expect(spooled.count == 1)
        #expect(spooled.takeRun(segment: 1, offset: 5000, after: 5, limit: 10).isEmpty, "what the worker read elsewhere is dropped")
        #expect(spooled.count == 0)
        spooled.keep(entry("n6", sequence: 6, segment: 2))
        #expect(spooled.takeRun(segment: 1, offset: 6000, after: 5, limit: 10).isEmpty, "another segment is another place")
        #expect(spooled.handedOver == 3)
    }
}
