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
    ///
    /// Works on UTF-8 bytes: every specifier is ASCII, and other bytes (UTF-8 sequences included)
    /// are copied through unchanged.
    static func format(_ date: DateFields, pattern: String) -> String {
        let source = Array(pattern.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(source.count + 16)
        var index = 0
        while index < source.count {
            let byte = source[index]
            if byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\"") {
                index += 1
                while index < source.count, source[index] != byte {
                    out.append(source[index])
                    index += 1
                }
                index += 1
                continue
            }
            if byte == UInt8(ascii: "\\") {
                // Copies the next character whole, even when it is several UTF-8 bytes.
                index += 1
                if index < source.count {
                    out.append(source[index])
                    index += 1
                    while index < source.count, source[index] & 0xC0 == 0x80 {
                        out.append(source[index])
                        index += 1
                    }
                }
                continue
            }
            var run = 1
            while index + run < source.count, source[index + run] == byte { run += 1 }
            index += run
            let hour12 = date.hour % 12 == 0 ? 12 : date.hour % 12
            switch byte {
            case UInt8(ascii: "y"): appendNumber(run <= 2 ? date.year % 100 : date.year, width: run, to: &out)
            case UInt8(ascii: "M"):
                if run <= 2 { appendNumber(date.month, width: run, to: &out) } else {
                    appendName(monthNames[date.month - 1], abbreviated: run == 3, to: &out)
                }
            case UInt8(ascii: "d"):
                if run <= 2 { appendNumber(date.day, width: run, to: &out) } else {
                    appendName(dayNames[date.weekday], abbreviated: run == 3, to: &out)
                }
            case UInt8(ascii: "H"): appendNumber(date.hour, width: min(run, 2), to: &out)
            case UInt8(ascii: "h"): appendNumber(hour12, width: min(run, 2), to: &out)
            case UInt8(ascii: "m"): appendNumber(date.minute, width: min(run, 2), to: &out)
            case UInt8(ascii: "s"): appendNumber(date.second, width: min(run, 2), to: &out)
            case UInt8(ascii: "f"), UInt8(ascii: "F"):
                // Only milliseconds are known; digits beyond the third are zeros.
                let millis = [date.millisecond / 100, date.millisecond / 10 % 10, date.millisecond % 10]
                var digits = (0..<run).map { $0 < 3 ? UInt8(ascii: "0") + UInt8(millis[$0]) : UInt8(ascii: "0") }
                if byte == UInt8(ascii: "F") { while digits.last == UInt8(ascii: "0") { digits.removeLast() } }
                out.append(contentsOf: digits)
            case UInt8(ascii: "t"):
                out.append(date.hour < 12 ? UInt8(ascii: "A") : UInt8(ascii: "P"))
                if run > 1 { out.append(UInt8(ascii: "M")) }
            case UInt8(ascii: "z"): out.append(contentsOf: run >= 3 ? Array("+00:00".utf8) : (run == 2 ? Array("+00".utf8) : Array("+0".utf8)))
            case UInt8(ascii: "K"): out.append(contentsOf: repeatElement(UInt8(ascii: "Z"), count: run))
            default: out.append(contentsOf: repeatElement(byte, count: run))
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `number` in decimal, zero-padded to at least `width` digits (a minus sign before them).
    private static func appendNumber(_ number: Int, width: Int, to out: inout [UInt8]) {
        if number < 0 { out.append(UInt8(ascii: "-")) }
        var digits: [UInt8] = []
        var rest = number.magnitude
        repeat {
            digits.append(UInt8(ascii: "0") + UInt8(rest % 10))
            rest /= 10
        } while rest > 0
        while digits.count < width { digits.append(UInt8(ascii: "0")) }
        out.append(contentsOf: digits.reversed())
    }

    private static func appendName(_ name: String, abbreviated: Bool, to out: inout [UInt8]) {
        out.append(contentsOf: abbreviated ? name.utf8.prefix(3) : name.utf8[...])
    }
}
