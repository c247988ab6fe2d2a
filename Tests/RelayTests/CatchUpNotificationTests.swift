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

    typealias Refs = SimulatorRepository.SampleRefs

    @Test("an asset delivered on a digest counts as delivered: its assets are named once, on the digest's line, by job")
    func digestsCountAsDelivered() async throws {
        let simulator = PreservicaSimulator(configuration: SimulatorConfiguration(password: "pw"))
        try simulator.start()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("catch-up-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let lines = [
            #"{"time":"2026-12-01T00:00:00.000Z","step":"digest","channel":"c","job":"1-0-c-digest","count":2,"entities":["\#(Refs.letterAsset)","\#(Refs.tokyoMapAsset)"]}"#,
            #"{"time":"2026-12-01T00:00:01.000Z","step":"delivered","channel":"c","host":"h","job":"1-0-c-digest","event":"digest of 2","attempt":1}"#,
            // Written before a digest's assets were named once: on its delivered line.
            #"{"time":"2026-11-30T00:00:00.000Z","step":"delivered","channel":"c","host":"h","job":"0-0-c-digest","event":"digest of 1","attempt":1,"entities":["\#(Refs.albumAsset)"]}"#,
            // The same job name on another channel, delivered: says nothing of channel c's digest below.
            #"{"time":"2026-12-01T00:00:03.000Z","step":"delivered","channel":"c-digest","host":"h","job":"3-0-c-folded","event":"3/0#x","attempt":1}"#,
            // Gathered, never delivered: still to send.
            #"{"time":"2026-12-01T00:00:02.000Z","step":"folded","channel":"c","job":"3-0-c-folded","count":1,"entities":["\#(Refs.minutesAsset)"]}"#,
        ]
        try (lines.joined(separator: "\n") + "\n").write(toFile: directory + "/audit.log", atomically: true, encoding: .utf8)
        let connection = try PreservicaConnection(credentials: PreservicaCredentials(
            server: simulator.baseURL, username: simulator.configuration.username, password: "pw", tenant: simulator.configuration.tenant))
        let result = try await CatchUp(entities: EntityClient(connection: connection), dataDirectory: directory, tenant: "T")
            .pending(since: "2000-01-01T00:00:00.000Z")
        await simulator.stop()
        #expect(!result.queued.contains(Refs.letterAsset) && !result.queued.contains(Refs.tokyoMapAsset), "\(result.queued)")
        #expect(result.queued.contains(Refs.minutesAsset))
        #expect(!result.queued.contains(Refs.albumAsset))
        #expect(result.skipped == 3)
    }
}
