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

        // In one step, and the log read again at once: the pipeline's blocked write holds one of
        // the cooperative pool's threads (two on two cores) for the whole suite until then.
        let client = try RawHTTPClient(port: relay.port, timeout: 10)
        let statuses = (try? await client.exchange((0..<3).map { _ in RelayHarness.signedRequest(RelayHarness.notification()) }))?
            .map(\.status)
        let reader = ends[0]
        Thread {
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while buffer.withUnsafeMutableBytes({ read(reader, $0.baseAddress, $0.count) }) > 0 {}
            close(reader)
        }.start()
        #expect(statuses == [200, 200, 200])
        #expect(relay.journal.count == 3)
        await relay.stop()
    }
}
