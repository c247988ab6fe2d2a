import Testing
import Foundation
import TestSupport
@testable import Relay

/// A log nobody reads (stderr a pipe to a collector that stopped) blocks every line written to it.
/// Receiving must not wait for it: Preservica gets its 200 once the notification is on disk.
@Suite("A blocked log")
struct BlockedLogTests {
    @Test("with stderr a full pipe nobody reads, notifications are still answered 200 and written to the journal")
    func receivingGoesOn() async throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        let relay = try RelayHarness()
        relay.logTo = ends[1]
        try relay.start()
        // Fill the pipe: from now on every write to the log waits for a reader.
        let flags = fcntl(ends[1], F_GETFL)
        _ = fcntl(ends[1], F_SETFL, flags | O_NONBLOCK)
        let filler = [UInt8](repeating: 0x2e, count: 4096)
        while filler.withUnsafeBytes({ write(ends[1], $0.baseAddress, $0.count) }) > 0 {}
        _ = fcntl(ends[1], F_SETFL, flags)

        let client = try RawHTTPClient(port: relay.port, timeout: 10)
        var statuses: [Int] = []
        for _ in 0..<3 {
            try await client.send(RelayHarness.signedRequest(RelayHarness.notification()))
            statuses.append((try? await client.readResponse())?.status ?? 0)
        }
        #expect(statuses == [200, 200, 200])
        #expect(relay.journal.count == 3)

        // A reader again: what waited is written, and the relay stops.
        let reader = ends[0]
        let drained = Thread {
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while buffer.withUnsafeMutableBytes({ read(reader, $0.baseAddress, $0.count) }) > 0 {}
            close(reader)
        }
        drained.start()
        await relay.stop()
    }
}
