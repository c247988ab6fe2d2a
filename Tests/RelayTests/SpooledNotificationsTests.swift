import Preservica
import Testing
@testable import Relay

@Suite("Notifications handed from the receiver to the worker")
struct SpooledNotificationsTests {
    private func notification(_ ref: String) -> WebhookNotification {
        WebhookNotification(subscriptionId: "s", timestamp: "1", tenant: "t", version: "1", trigger: "FULL_TEXT_INDEXED",
                            events: [WebhookEvent(event: "FULL_TEXT_INDEXED", entityType: "IO", entityRef: ref)])
    }

    @Test("each is taken once, by its sequence")
    func takenOnce() {
        let spooled = SpooledNotifications()
        spooled.keep(notification("a"), sequence: 1, bytes: 100)
        spooled.keep(notification("b"), sequence: 2, bytes: 100)
        #expect(spooled.take(1)?.events[0].entityRef == "a")
        #expect(spooled.take(1) == nil)
        #expect(spooled.take(2)?.events[0].entityRef == "b")
        #expect(spooled.count == 0)
    }

    @Test("taking a later sequence drops the older ones the worker passed")
    func olderDropped() {
        let spooled = SpooledNotifications()
        for sequence in UInt64(1)...5 { spooled.keep(notification("n\(sequence)"), sequence: sequence, bytes: 100) }
        #expect(spooled.take(4)?.events[0].entityRef == "n4")
        #expect(spooled.take(2) == nil)
        #expect(spooled.count == 1)
        #expect(spooled.take(5)?.events[0].entityRef == "n5")
    }

    @Test("beyond its capacity, or out of order, a notification is not kept and the worker parses it")
    func bounded() {
        let spooled = SpooledNotifications(capacity: 3)
        for sequence in UInt64(1)...5 { spooled.keep(notification("n\(sequence)"), sequence: sequence, bytes: 100) }
        #expect(spooled.count == 3)
        #expect(spooled.take(4) == nil)
        spooled.keep(notification("n7"), sequence: 7, bytes: 100)
        spooled.keep(notification("late"), sequence: 6, bytes: 100)
        #expect(spooled.take(6) == nil)
        #expect(spooled.take(7)?.events[0].entityRef == "n7")
        #expect(spooled.count == 0)
    }

    @Test("bodies beyond the byte budget are not kept, and taking frees the budget")
    func byteBudget() {
        let spooled = SpooledNotifications(capacity: 100, byteBudget: 1000)
        spooled.keep(notification("a"), sequence: 1, bytes: 600)
        spooled.keep(notification("big"), sequence: 2, bytes: 600)
        spooled.keep(notification("c"), sequence: 3, bytes: 400)
        #expect(spooled.count == 2)
        #expect(spooled.take(1) != nil)
        #expect(spooled.take(2) == nil)
        spooled.keep(notification("d"), sequence: 4, bytes: 600)
        #expect(spooled.take(3)?.events[0].entityRef == "c")
        #expect(spooled.take(4)?.events[0].entityRef == "d")
    }

    @Test("a long run keeps its storage small")
    func longRun() {
        let spooled = SpooledNotifications(capacity: 100)
        for sequence in UInt64(1)...10_000 {
            spooled.keep(notification("n"), sequence: sequence, bytes: 100)
            if sequence > 50 { #expect(spooled.take(sequence - 50) != nil) }
        }
        #expect(spooled.count == 50)
    }
}
