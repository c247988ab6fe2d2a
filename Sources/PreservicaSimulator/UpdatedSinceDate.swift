import Foundation

/// The `date` of `entities/updated-since` as the simulator reads it: an ISO 8601 date-time with
/// an optional fraction and zone (`Z`, `+01:00`, `+0100`; none is read as UTC), turned into the
/// UTC wall-clock text to the second that the repository's `modified` times are compared with.
/// The query is form-decoded first, so a `+` sent unencoded arrives as a space and the date
/// does not parse (answered 400), as a Java server's `getParameter` would have it. [I]
enum UpdatedSinceDate {
    static func utcText(_ date: String) -> String? {
        let scalars = Array(date.unicodeScalars)
        func number(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= scalars.count, scalars[from..<from + count].allSatisfy({ ("0"..."9").contains($0) }) else { return nil }
            return Int(String(String.UnicodeScalarView(scalars[from..<from + count])))
        }
        guard let year = number(0, 4), scalars.count >= 10, scalars[4] == "-", scalars[7] == "-",
              let month = number(5, 2), let day = number(8, 2) else { return nil }
        var hour = 0, minute = 0, second = 0
        var at = 10
        if at < scalars.count, scalars[at] == "T" {
            guard let h = number(at + 1, 2), at + 3 < scalars.count, scalars[at + 3] == ":", let m = number(at + 4, 2) else { return nil }
            (hour, minute) = (h, m)
            at += 6
            if at < scalars.count, scalars[at] == ":" {
                guard let s = number(at + 1, 2) else { return nil }
                second = s
                at += 3
                if at < scalars.count, scalars[at] == "." {
                    at += 1
                    while at < scalars.count, ("0"..."9").contains(scalars[at]) { at += 1 }
                }
            }
        }
        var offset = 0
        if at < scalars.count {
            let sign = scalars[at]
            if sign == "Z" && at + 1 == scalars.count {
                offset = 0
            } else if sign == "+" || sign == "-" {
                let rest = scalars[(at + 1)...].filter { $0 != ":" }
                guard rest.count == 4, let hours = Int(String(String.UnicodeScalarView(rest.prefix(2)))),
                      let minutes = Int(String(String.UnicodeScalarView(rest.suffix(2)))) else { return nil }
                offset = (sign == "-" ? -1 : 1) * (hours * 3_600 + minutes * 60)
            } else {
                return nil
            }
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0)!
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 60,
              let local = calendar.date(from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second))
        else { return nil }
        let utc = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: local.addingTimeInterval(TimeInterval(-offset)))
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d", utc.year!, utc.month!, utc.day!, utc.hour!, utc.minute!, utc.second!)
    }
}
