import Foundation

/// UTC timestamps in ISO 8601 with milliseconds (`2026-11-29T10:52:42.469Z`), formatted without
/// a formatter object so it is cheap on the request path.
enum Timestamp {
    /// `date` as ISO 8601 UTC with milliseconds.
    static func iso8601(_ date: Date = Date()) -> String {
        let interval = date.timeIntervalSince1970
        var seconds = time_t(interval.rounded(.down))
        let milliseconds = Int32(min(999, max(0, (interval - Double(seconds)) * 1000)))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        // Written on every log line and receipt: digits straight into 24 bytes, no interim strings.
        return String(unsafeUninitializedCapacity: 24) { bytes in
            var at = 0
            func put(_ value: Int32, _ width: Int) {
                var rest = value
                for offset in stride(from: width - 1, through: 0, by: -1) {
                    bytes[at + offset] = UInt8(48 + rest % 10)
                    rest /= 10
                }
                at += width
            }
            func mark(_ ascii: Unicode.Scalar) {
                bytes[at] = UInt8(ascii: ascii)
                at += 1
            }
            put(parts.tm_year + 1900, 4); mark("-"); put(parts.tm_mon + 1, 2); mark("-"); put(parts.tm_mday, 2); mark("T")
            put(parts.tm_hour, 2); mark(":"); put(parts.tm_min, 2); mark(":"); put(parts.tm_sec, 2); mark(".")
            put(milliseconds, 3); mark("Z")
            return at
        }
    }
}
