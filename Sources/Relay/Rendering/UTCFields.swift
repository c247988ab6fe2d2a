import Foundation

/// A moment's calendar fields in UTC, written as the card clock writes them, without a
/// formatter: cards in UTC are the default, and each card names one or two times.
struct UTCFields {
    private var year: Int32
    private var month: Int32
    private var dayOfMonth: Int32
    private var hour: Int32
    private var minute: Int32
    private var second: Int32

    /// Month names as en_GB writes them with `MMM`.
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Nil outside 1600 to 9999: before that the formatters' calendar is Julian, after it the year
    /// needs more than four digits.
    init?(_ date: Date) {
        let interval = date.timeIntervalSince1970
        guard interval.isFinite, interval >= -11_676_096_000, interval < 253_402_300_800 else { return nil }
        var seconds = time_t(interval.rounded(.down))
        var parts = tm()
        guard gmtime_r(&seconds, &parts) != nil else { return nil }
        year = parts.tm_year + 1900
        month = parts.tm_mon + 1
        dayOfMonth = parts.tm_mday
        hour = parts.tm_hour
        minute = parts.tm_min
        second = parts.tm_sec
    }

    /// `30 Nov 2026` (`d MMM yyyy`).
    var day: String { "\(dayOfMonth) \(Self.months[Int(month) - 1]) \(Self.padded(year, 4))" }

    /// `17:23` (`HH:mm`).
    var clock: String { "\(Self.padded(hour, 2)):\(Self.padded(minute, 2))" }

    /// `2026-11-30T17:23:16Z`: whole seconds.
    var iso: String {
        "\(Self.padded(year, 4))-\(Self.padded(month, 2))-\(Self.padded(dayOfMonth, 2))T\(clock):\(Self.padded(second, 2))Z"
    }

    private static func padded(_ value: Int32, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
}
