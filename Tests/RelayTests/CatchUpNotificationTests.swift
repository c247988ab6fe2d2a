import Foundation
import Preservica
import PreservicaSimulator
import Relay
import Testing

/// The notifications catch-up makes are read as now, whatever zone Preservica writes in.
@Suite("Catch-up notifications")
struct CatchUpNotificationTests {
    @Test("every batch's timestamp is now in UTC, read so under any preservica.timeZone, and the batches differ by their references")
    func timestampsAreNow() throws {
        let connection = try PreservicaConnection(credentials: PreservicaCredentials(
            server: "http://127.0.0.1:9", username: "u", password: "p", tenant: "T"))
        let catchUp = CatchUp(entities: EntityClient(connection: connection), dataDirectory: "/nonexistent", tenant: "T")
        let refs = (0..<1_120).map { String(format: "00000000-0000-4000-8000-%012d", $0) }
        let before = Date()
        let bodies = catchUp.notifications(for: refs)
        #expect(bodies.count == 23)
        let oslo = CardClock(source: TimeZone(identifier: "Europe/Oslo")!)
        var keys = Set<String>()
        for body in bodies {
            let notification = try WebhookNotification.parse(body)
            let read = try #require(oslo.date(notification.timestamp), "\(notification.timestamp)")
            #expect(abs(read.timeIntervalSince(before)) < 60, "\(notification.timestamp) read as \(read)")
            keys.insert(notification.deduplicationKey)
        }
        #expect(keys.count == bodies.count)
    }
}
