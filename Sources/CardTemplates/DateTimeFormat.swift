import JSON

/// `formatDateTime(timestamp, format?, locale?)` with .NET custom format strings, always in UTC
/// and with English month and day names (a locale argument is accepted and ignored).
enum DateTimeFormat {
    /// The Adaptive Expressions default: ISO 8601 with milliseconds.
    static let defaultFormat = "yyyy-MM-ddTHH:mm:ss.fffZ"

    static let monthNames = ["January", "February", "March", "April", "May", "June", "July",
                             "August", "September", "October", "November", "December"]
    static let dayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    /// The formatted timestamp, or null when `value` is not an ISO 8601 string.
    static func format(_ value: JSONValue, format: JSONValue?) -> JSONValue {
        guard case .string(let text) = value, let timestamp = Timestamp(iso8601: text) else { return .null }
        var pattern = defaultFormat
        if let format, case .string(let custom) = format, !custom.isEmpty { pattern = custom }
        return .string(self.format(timestamp.fields, pattern: pattern))
    }

    /// Expands the .NET custom specifiers `yyyy yy MMMM MMM MM M dddd ddd dd d HH H hh h mm m ss s
    /// f… F… tt t zzz zz z K`; `'quoted'` and `"quoted"` text and `\x` are literal, as is any other character.
    static func format(_ date: DateFields, pattern: String) -> String {
        let characters = Array(pattern)
        var out = ""
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character == "'" || character == "\"" {
                index += 1
                while index < characters.count, characters[index] != character {
                    out.append(characters[index])
                    index += 1
                }
                index += 1
                continue
            }
            if character == "\\" {
                if index + 1 < characters.count { out.append(characters[index + 1]) }
                index += 2
                continue
            }
            var run = 1
            while index + run < characters.count, characters[index + run] == character { run += 1 }
            index += run
            let hour12 = date.hour % 12 == 0 ? 12 : date.hour % 12
            switch character {
            case "y":
                if run <= 2 { out += padded(date.year % 100, run) } else { out += padded(date.year, run) }
            case "M":
                if run <= 2 { out += padded(date.month, run) } else {
                    let name = monthNames[date.month - 1]
                    out += run == 3 ? String(name.prefix(3)) : name
                }
            case "d":
                if run <= 2 { out += padded(date.day, run) } else {
                    let name = dayNames[date.weekday]
                    out += run == 3 ? String(name.prefix(3)) : name
                }
            case "H": out += padded(date.hour, min(run, 2))
            case "h": out += padded(hour12, min(run, 2))
            case "m": out += padded(date.minute, min(run, 2))
            case "s": out += padded(date.second, min(run, 2))
            case "f", "F":
                // Only milliseconds are known; digits beyond the third are zeros.
                var digits = padded(date.millisecond, 3) + String(repeating: "0", count: max(0, run - 3))
                digits = String(digits.prefix(run))
                if character == "F" { while digits.last == "0" { digits.removeLast() } }
                out += digits
            case "t": out += run == 1 ? (date.hour < 12 ? "A" : "P") : (date.hour < 12 ? "AM" : "PM")
            case "z": out += run >= 3 ? "+00:00" : (run == 2 ? "+00" : "+0")
            case "K": out += String(repeating: "Z", count: run)
            default: out += String(repeating: String(character), count: run)
            }
        }
        return out
    }

    private static func padded(_ number: Int, _ width: Int) -> String {
        let digits = String(number)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
