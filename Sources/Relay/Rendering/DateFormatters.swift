import Foundation
import Synchronization

/// The date formatters cards and the deliverer use, made once per pattern, zone and locale.
///
/// Making a formatter opens an ICU formatter, which costs far more than the formatting itself: one
/// per card made it the largest single cost of the relay's own CPU in `bench/burst.sh`. Foundation
/// does not promise that a formatter may be used from two threads at once, so each is used under
/// the lock; formatting one date takes microseconds.
final class DateFormatters: Sendable {
    /// The formatters every clock shares.
    static let shared = DateFormatters()

    private struct Key: Hashable {
        var pattern: String
        var zone: String
        var locale: String
    }

    private let patterns = Mutex<[Key: DateFormatter]>([:])
    private let iso = Mutex<[UInt: ISO8601DateFormatter]>([:])

    /// `date` written with `pattern` (Unicode date pattern) in `zone` and `locale`.
    func string(_ date: Date, pattern: String, zone: TimeZone, locale: String) -> String {
        patterns.withLock { cache in formatter(in: &cache, pattern: pattern, zone: zone, locale: locale).string(from: date) }
    }

    /// `text` read with `pattern` in `zone` (POSIX locale), or nil.
    func date(_ text: String, pattern: String, zone: TimeZone) -> Date? {
        patterns.withLock { cache in formatter(in: &cache, pattern: pattern, zone: zone, locale: "en_US_POSIX").date(from: text) }
    }

    /// `text` read as ISO 8601 with `options`, or nil.
    func iso8601(_ text: String, options: ISO8601DateFormatter.Options) -> Date? {
        iso.withLock { cache in isoFormatter(in: &cache, options: options).date(from: text) }
    }

    /// `date` written as ISO 8601 with `options` (UTC).
    func iso8601(_ date: Date, options: ISO8601DateFormatter.Options) -> String {
        iso.withLock { cache in isoFormatter(in: &cache, options: options).string(from: date) }
    }

    private func formatter(in cache: inout [Key: DateFormatter], pattern: String, zone: TimeZone, locale: String) -> DateFormatter {
        let key = Key(pattern: pattern, zone: zone.identifier, locale: locale)
        if let made = cache[key] { return made }
        let made = DateFormatter()
        made.locale = Locale(identifier: locale)
        made.timeZone = zone
        made.dateFormat = pattern
        cache[key] = made
        return made
    }

    private func isoFormatter(in cache: inout [UInt: ISO8601DateFormatter], options: ISO8601DateFormatter.Options) -> ISO8601DateFormatter {
        if let made = cache[options.rawValue] { return made }
        let made = ISO8601DateFormatter()
        made.formatOptions = options
        cache[options.rawValue] = made
        return made
    }
}
