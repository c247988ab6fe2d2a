import CardTemplates
import ChatTargets
import Foundation

/// Reads Preservica's timestamps and writes them as cards show them: in the configured zone,
/// named, and as an exact UTC instant for services that localise per reader (Teams' `DATE()` and
/// `TIME()`).
public struct CardClock: Sendable {
    /// The zone Preservica writes zone-less timestamps in.
    public var source: TimeZone
    /// The zone cards are written in.
    public var display: TimeZone

    /// A clock reading Preservica's times in `source` and writing them in `display` (both UTC by default).
    public init(source: TimeZone = .gmt, display: TimeZone = .gmt) {
        self.source = source
        self.display = display
    }

    /// The instant of `text`: ISO 8601 with a zone as written, without one in ``source``.
    public func date(_ text: String) -> Date? {
        // Preservica's own forms, read without a formatter; other zones' zone-less times, and
        // anything else, go to the formatters.
        if Self.hasSeconds(text), let read = ISO8601Instant.read(text), read.zoned || Self.isUTC(source) {
            return Date(timeIntervalSince1970: Double(read.milliseconds) / 1000)
        }
        let formatters = DateFormatters.shared
        for options: ISO8601DateFormatter.Options in [[.withInternetDateTime, .withFractionalSeconds], [.withInternetDateTime]] {
            if let date = formatters.iso8601(text, options: options) { return date }
        }
        for pattern in ["yyyy-MM-dd'T'HH:mm:ss.SSS", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm:ss"] {
            if let date = formatters.date(text, pattern: pattern, zone: source) { return date }
        }
        return nil
    }

    /// The zone's short name at `date` (`UTC`, `CET`, `GMT+1`), as named on cards.
    public func zoneName(at date: Date) -> String {
        if Self.isUTC(display) { return "UTC" }
        return display.abbreviation(for: date) ?? display.identifier
    }

    /// `date` in the display zone with `format` (Unicode date pattern).
    public func format(_ date: Date, _ format: String) -> String {
        if Self.isUTC(display), let fields = UTCFields(date) {
            switch format {
            case "d MMM yyyy": return fields.day
            case "HH:mm": return fields.clock
            default: break
            }
        }
        return DateFormatters.shared.string(date, pattern: format, zone: display, locale: "en_GB")
    }

    /// Whether `text` starts `yyyy-MM-ddTHH:mm:ss` and writes its fraction with a point, as the
    /// formatters read it: the fast path reads what they read, and nothing more (a date alone, or
    /// a time without seconds, is read by them or not at all).
    static func hasSeconds(_ text: String) -> Bool {
        let bytes = text.utf8
        guard bytes.count >= 19 else { return false }
        let start = bytes.startIndex
        func at(_ offset: Int) -> UInt8 { bytes[bytes.index(start, offsetBy: offset)] }
        return at(10) == UInt8(ascii: "T") && at(13) == UInt8(ascii: ":") && at(16) == UInt8(ascii: ":")
            && !bytes.contains(UInt8(ascii: ","))
    }

    /// UTC by either of its names: a fixed zone that needs no formatter.
    static func isUTC(_ zone: TimeZone) -> Bool {
        zone.identifier == "UTC" || zone.identifier == "GMT"
    }

    /// The model of one time, `event.time` in templates: `iso` (UTC, `Z`), `date` (`30 Nov 2026`),
    /// `clock` (`17:23`), `zone` (`CET`), `text` (`30 Nov 2026 17:23 CET`), and `teams`: Adaptive
    /// Cards' `{{DATE()}} {{TIME()}}`, which Teams shows in each reader's own zone. Empty strings
    /// when `text` cannot be read.
    public func model(_ text: String) -> [(String, String)] {
        guard let date = date(text) else {
            return [("iso", ""), ("date", ""), ("clock", ""), ("zone", ""), ("text", text), ("teams", text)]
        }
        let iso = Self.utc(date)
        let zone = zoneName(at: date)
        let day = format(date, "d MMM yyyy")
        let clock = format(date, "HH:mm")
        return [("iso", iso), ("date", day), ("clock", clock), ("zone", zone), ("text", "\(day) \(clock) \(zone)"),
                ("teams", TeamsTimeText.make(iso: iso))]
    }

    /// A span written once: `30 Nov 2026 17:20–17:23 CET`, or both dates when they differ.
    public func span(from: String, to: String) -> String {
        guard let start = date(from), let end = date(to) else { return "" }
        let zone = zoneName(at: end)
        let startDay = format(start, "d MMM yyyy")
        let endDay = format(end, "d MMM yyyy")
        let startClock = format(start, "HH:mm")
        let endClock = format(end, "HH:mm")
        if startDay != endDay { return "\(startDay) \(startClock) – \(endDay) \(endClock) \(zone)" }
        return startClock == endClock ? "\(startDay) \(startClock) \(zone)" : "\(startDay) \(startClock)–\(endClock) \(zone)"
    }

    /// ``span(from:to:)`` as Adaptive Cards' `DATE()` and `TIME()`, which Teams shows in each
    /// reader's own zone; empty when either time cannot be read.
    public func teamsSpan(from: String, to: String) -> String {
        guard let start = date(from), let end = date(to) else { return "" }
        return TeamsTimeText.makeSpan(from: Self.utc(start), to: Self.utc(end))
    }

    /// `2026-11-30T17:23:16Z`: whole seconds, as Adaptive Cards' `DATE()` requires (RFC 3339).
    static func utc(_ date: Date) -> String {
        UTCFields(date)?.iso ?? DateFormatters.shared.iso8601(date, options: [.withInternetDateTime])
    }

    /// `text` with Adaptive Cards' `{{DATE(iso, SHORT|LONG|COMPACT)}}` and `{{TIME(iso)}}` written
    /// as Teams writes them for a reader in the display zone; a malformed call stays as written,
    /// as Teams leaves it.
    public func localise(_ text: String) -> String {
        guard text.contains("{{") else { return text }
        var out = ""
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            out += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].range(of: "}}") else { break }
            let call = String(rest[open.upperBound..<close.lowerBound])
            out += dateFunction(call) ?? "{{\(call)}}"
            rest = rest[close.upperBound...]
        }
        return out + rest
    }

    private func dateFunction(_ call: String) -> String? {
        let isDate = call.hasPrefix("DATE("), isTime = call.hasPrefix("TIME(")
        guard isDate || isTime, call.hasSuffix(")") else { return nil }
        let arguments = call.dropFirst(5).dropLast().split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let iso = arguments.first, iso.contains("T"), let date = date(iso) else { return nil }
        if isTime { return format(date, "h:mm a") }
        switch arguments.count > 1 ? arguments[1] : "COMPACT" {
        case "SHORT": return format(date, "EEE, MMM d, yyyy")
        case "LONG": return format(date, "EEEE, MMMM d, yyyy")
        default: return format(date, "M/d/yyyy")
        }
    }
}
