import Foundation
import Testing
@testable import Relay

/// UTC times on cards are read and written without Foundation's formatters; these check that the
/// result is the formatters' own, character for character.
@Suite("The card clock in UTC, without formatters")
struct CardClockFastPathTests {
    /// Instants from 1600 to 9999: every month's edges, leap days, and a spread of others.
    private static let instants: [Date] = {
        var seconds: [Double] = [-11_676_096_000, 253_402_300_799, 0, -0.5, -1, 951_782_400, 951_868_799.999, 4_107_542_399]
        for year in [1600, 1899, 1900, 1970, 2000, 2024, 2026, 2100, 9999] {
            for month in 1...12 {
                let text = String(format: "%04d-%02d-01T00:00:00Z", year, month)
                let start = ISO8601DateFormatter().date(from: text)!.timeIntervalSince1970
                seconds += [start, start - 1, start + 59.9, start + 86_399]
            }
        }
        var generator = SystemRandomNumberGenerator()
        seconds += (0..<500).map { _ in Double.random(in: -11_676_096_000..<253_402_300_799, using: &generator).rounded(.down) }
        return seconds.map(Date.init(timeIntervalSince1970:))
    }()

    @Test("day, clock and exact time are written as the en_GB formatter writes them")
    func writing() {
        let clock = CardClock()
        let formatters = DateFormatters.shared
        for date in Self.instants {
            for pattern in ["d MMM yyyy", "HH:mm"] {
                #expect(clock.format(date, pattern) == formatters.string(date, pattern: pattern, zone: .gmt, locale: "en_GB"),
                        "\(pattern) at \(date.timeIntervalSince1970)")
            }
            #expect(CardClock.utc(date) == formatters.iso8601(date, options: [.withInternetDateTime]), "\(date.timeIntervalSince1970)")
        }
    }

    @Test("Preservica's forms read as the formatters read them; other zones' zone-less times still go to the formatters")
    func reading() {
        let utc = CardClock()
        let formatters = DateFormatters.shared
        for date in Self.instants {
            let iso = formatters.iso8601(date, options: [.withInternetDateTime, .withFractionalSeconds])
            #expect(utc.date(iso) == formatters.iso8601(iso, options: [.withInternetDateTime, .withFractionalSeconds]), "\(iso)")
            let zoneless = formatters.string(date, pattern: "yyyy-MM-dd'T'HH:mm:ss.SSS", zone: .gmt, locale: "en_US_POSIX")
            #expect(utc.date(zoneless) == formatters.date(zoneless, pattern: "yyyy-MM-dd'T'HH:mm:ss.SSS", zone: .gmt), "\(zoneless)")
        }
        #expect(utc.date("2026-11-30T17:00:00+01:00") == Date(timeIntervalSince1970: 1_796_054_400))
        let newYork = CardClock(source: TimeZone(identifier: "America/New_York")!)
        #expect(newYork.date("2026-11-30T12:00:00.000") == Date(timeIntervalSince1970: 1_796_058_000), "read in the source zone")
        #expect(newYork.date("2026-11-30T17:00:00Z") == Date(timeIntervalSince1970: 1_796_058_000), "a named zone wins")
        #expect(utc.date("30/11/2026") == nil)
        // What the formatters never read stays unread: the card shows the text as sent.
        for text in ["2026-11-30", "2026-11-30T17:00Z", "2026-11-30t17:00:00Z", "2026-11-30T17:00:00,5Z"] {
            #expect(utc.date(text) == nil, "\(text)")
        }
        // Forms the formatters read, read the same.
        #expect(utc.date("2026-11-30T17:00") == Date(timeIntervalSince1970: 1_796_058_000))
        #expect(utc.date("2026-11-30T17:00:00z") == Date(timeIntervalSince1970: 1_796_058_000))
        #expect(utc.date("2026-11-30 17:00:00") == Date(timeIntervalSince1970: 1_796_058_000))
    }
}
