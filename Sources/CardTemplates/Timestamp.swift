/// An instant in UTC, to the millisecond, read from ISO 8601 text without Foundation.
struct Timestamp: Sendable, Equatable {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    var milliseconds: Int64

    /// Parses `yyyy-MM-dd`, optionally followed by `T` (or a space) and `HH:mm[:ss[.fraction]]`,
    /// optionally followed by `Z` or an offset `±HH:mm`, `±HHmm`, `±HH`. Text without a zone is
    /// taken as UTC: Preservica writes `2023-10-11T10:52:42.469` and means UTC.
    init?(iso8601 text: String) {
        var reader = DigitReader(Array(text.utf8))
        guard let year = reader.number(digits: 4), reader.skip("-"),
              let month = reader.number(digits: 2), reader.skip("-"),
              let day = reader.number(digits: 2),
              (1...12).contains(month), day >= 1, day <= Self.daysInMonth(year: year, month: month)
        else { return nil }
        var hour = 0, minute = 0, second = 0, millisecond = 0, offsetMinutes = 0
        if reader.skip("T") || reader.skip("t") || reader.skip(" ") {
            guard let h = reader.number(digits: 2), reader.skip(":"), let m = reader.number(digits: 2),
                  h < 24, m < 60
            else { return nil }
            hour = h
            minute = m
            if reader.skip(":") {
                guard let s = reader.number(digits: 2), s < 60 else { return nil }
                second = s
                if reader.skip(".") || reader.skip(",") {
                    // Only milliseconds are kept; further digits are dropped, not rounded.
                    var scale = 100
                    var sawDigit = false
                    while let digit = reader.digit() {
                        sawDigit = true
                        millisecond += digit * scale
                        scale /= 10
                    }
                    guard sawDigit else { return nil }
                }
            }
            if reader.skip("Z") || reader.skip("z") {
                offsetMinutes = 0
            } else if let sign = reader.sign() {
                guard let offsetHours = reader.number(digits: 2), offsetHours <= 14 else { return nil }
                var offsetMinute = 0
                if reader.skip(":") {
                    guard let value = reader.number(digits: 2) else { return nil }
                    offsetMinute = value
                } else if let value = reader.number(digits: 2) {
                    offsetMinute = value
                }
                guard offsetMinute < 60 else { return nil }
                offsetMinutes = sign * (offsetHours * 60 + offsetMinute)
            }
        }
        guard reader.atEnd else { return nil }
        let days = Int64(Self.daysSinceEpoch(year: year, month: month, day: day))
        let secondsOfDay = Int64(hour * 3600 + minute * 60 + second - offsetMinutes * 60)
        let instant = (days * 86_400 + secondsOfDay) * 1000 + Int64(millisecond)
        // An offset can carry a time in year 1 or 9999 into year 0 or 10000: not a time a card can name.
        guard Self.range.contains(instant) else { return nil }
        milliseconds = instant
    }

    /// The instants from 0001-01-01T00:00:00Z up to 10000-01-01T00:00:00Z, years written in four digits.
    static let range = Int64(daysSinceEpoch(year: 1, month: 1, day: 1)) * 86_400_000
        ..< Int64(daysSinceEpoch(year: 10_000, month: 1, day: 1)) * 86_400_000

    init(milliseconds: Int64) {
        self.milliseconds = milliseconds
    }

    /// The calendar fields in UTC.
    var fields: DateFields {
        let (days, millisecondOfDay) = milliseconds.floorDivided(by: 86_400_000)
        let (year, month, day) = Self.civil(fromDays: Int(days))
        let ms = Int(millisecondOfDay)
        // 1970-01-01 was a Thursday (4, counting Sunday as 0).
        let weekday = Int((days + 4).floorDivided(by: 7).remainder)
        return DateFields(
            year: year, month: month, day: day, weekday: weekday,
            hour: ms / 3_600_000, minute: ms / 60_000 % 60, second: ms / 1000 % 60, millisecond: ms % 1000
        )
    }

    static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days from 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's algorithm).
    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The inverse of ``daysSinceEpoch(year:month:day:)``.
    static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
