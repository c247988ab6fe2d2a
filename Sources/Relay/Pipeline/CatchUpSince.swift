import Foundation

/// The `--since` of a catch-up, read as an instant and written as Preservica's clients write it:
/// UTC with milliseconds and a `Z` (`2026-11-28T17:00:00.000Z`; the National Archives' client's
/// `yyyy-MM-dd'T'HH:mm:ss.SSSXXX`). A date or date-time without a zone is read in `zone`
/// (`preservica.timeZone`, UTC unless set); `Z`, `+01:00` or `+0100` name their own.
public enum CatchUpSince {
    private static let pattern = try! NSRegularExpression(
        // [0-9], not \d: \d takes the digits of every script, which Int does not read.
        pattern: #"^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]{1,9}))?)?)?(Z|z|[+-][0-9]{2}:?[0-9]{2})?$"#)

    /// The instant `text` names, as UTC text; nil when it is no ISO 8601 date or date-time.
    public static func normalized(_ text: String, zone: TimeZone) -> String? {
        let range = NSRange(text.startIndex..., in: text)
        guard let match = pattern.firstMatch(in: text, range: range) else { return nil }
        func group(_ index: Int) -> String? {
            Range(match.range(at: index), in: text).map { String(text[$0]) }
        }
        guard let year = group(1).flatMap(Int.init), let month = group(2).flatMap(Int.init), let day = group(3).flatMap(Int.init) else {
            return nil
        }
        let hour = group(4).flatMap(Int.init) ?? 0, minute = group(5).flatMap(Int.init) ?? 0, second = group(6).flatMap(Int.init) ?? 0
        var components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        var calendar = Calendar(identifier: .gregorian)
        if let offset = group(8) {
            guard let seconds = offsetSeconds(offset), let named = TimeZone(secondsFromGMT: seconds) else { return nil }
            calendar.timeZone = named
        } else {
            calendar.timeZone = zone
        }
        components.calendar = calendar
        components.timeZone = calendar.timeZone
        // Checked by hand, not with `isValidDate`: a local time in a daylight-saving gap is still
        // a time an operator may write (Calendar moves it past the gap).
        guard (1...12).contains(month), (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second),
              let days = calendar.range(of: .day, in: .month, for: calendar.date(from: DateComponents(year: year, month: month, day: 1)) ?? Date()),
              days.contains(day), let date = calendar.date(from: components) else { return nil }
        let fraction = group(7).map { Double("0." + $0) ?? 0 } ?? 0
        return Timestamp.iso8601(date.addingTimeInterval(fraction))
    }

    /// `Z`, `+01:00` or `-0530` in seconds east of UTC; nil past ±18 hours.
    private static func offsetSeconds(_ text: String) -> Int? {
        if text == "Z" || text == "z" { return 0 }
        let digits = text.dropFirst().filter(\.isNumber)
        guard digits.count == 4, let hours = Int(digits.prefix(2)), let minutes = Int(digits.suffix(2)),
              hours <= 18, minutes < 60 else { return nil }
        return (text.hasPrefix("-") ? -1 : 1) * (hours * 3_600 + minutes * 60)
    }
}
