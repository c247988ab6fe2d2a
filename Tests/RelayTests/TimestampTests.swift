import Foundation
import Testing
@testable import Relay

@Suite("Timestamps the relay writes and reads back")
struct TimestampTests {
    @Test("what iso8601 writes, date reads back to the millisecond, across 1970 to 2100")
    func roundTrip() {
        var state: UInt64 = 0x2545_f491_4f6c_dd1d
        for _ in 0..<2_000 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let milliseconds = Double(state >> 22 % 4_102_444_800_000)
            let original = Date(timeIntervalSince1970: milliseconds / 1000)
            let written = Timestamp.iso8601(original)
            let read = Timestamp.date(written)
            #expect(read.map { abs($0.timeIntervalSince(original)) < 0.0015 } == true, "\(written)")
            #expect(read == DateFormatters.shared.iso8601(written, options: [.withInternetDateTime, .withFractionalSeconds]), "\(written)")
            #expect(Timestamp.fixed(written) == read, "the fast path reads \(written) itself")
        }
    }

    @Test("any other text reads exactly as Foundation's ISO 8601 parser reads it")
    func otherForms() {
        let options: ISO8601DateFormatter.Options = [.withInternetDateTime, .withFractionalSeconds]
        for text in ["2026-11-30T10:00:00.5+01:00", "2026-11-30T10:00:00.123456Z", "2026-04-30T23:59:59.999-05:00"] {
            #expect(Timestamp.date(text) != nil, "\(text)")
            #expect(Timestamp.date(text) == DateFormatters.shared.iso8601(text, options: options), "\(text)")
        }
        // Impossible dates and times are not read as some other date by the fast path; what
        // Foundation makes of them is what they were read as before.
        for text in ["", "2026-13-01T00:00:00.000Z", "2026-04-31T00:00:00.000Z", "2026-11-30T24:00:00.000Z", "2026-11-30T10:00:60.000Z", "2026-11-30 10:00:00.000Z",
                     "2026-11-3OT10:00:00.000Z", "yesterday"] {
            #expect(Timestamp.date(text) == DateFormatters.shared.iso8601(text, options: options), "\(text)")
        }
        #expect(Timestamp.date("yesterday") == nil)
    }
}
