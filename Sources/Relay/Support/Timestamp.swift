import CardTemplates
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

    /// Reads a timestamp as ``iso8601(_:)`` writes it (24 bytes, UTC, milliseconds) without a
    /// formatter: the deliverer reads one or two per job. Anything else goes to Foundation's ISO
    /// 8601 parser (internet date-time with fractional seconds), as before.
    static func date(_ text: String) -> Date? {
        fixed(text) ?? DateFormatters.shared.iso8601(text, options: [.withInternetDateTime, .withFractionalSeconds])
    }

    /// The fast path alone: nil for anything but the form ``iso8601(_:)`` writes, which the
    /// templates' ISO 8601 reader then reads.
    static func fixed(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        guard bytes.count == 24, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: "T"),
              bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"), bytes[19] == UInt8(ascii: "."),
              bytes[23] == UInt8(ascii: "Z"), let read = ISO8601Instant.read(text) else { return nil }
        // Whole seconds and milliseconds added apart, as Foundation's parser adds them.
        let (seconds, milliseconds) = read.milliseconds.quotientAndRemainder(dividingBy: 1000)
        return milliseconds >= 0 ? Date(timeIntervalSince1970: Double(seconds) + Double(milliseconds) / 1000)
            : Date(timeIntervalSince1970: Double(seconds - 1) + Double(milliseconds + 1000) / 1000)
    }
}
