import Foundation

/// Times on the status page: "3 min ago" to read at a glance, the exact time on hover.
enum RelativeTime {
    /// `date` relative to `now`: "just now", "42 s ago", "3 min ago", "5 h ago", "2 days ago".
    /// A date in the future (a clock step) reads "just now", never a negative age.
    static func ago(_ date: Date, now: Date = Date()) -> String {
        let seconds = Int(now.timeIntervalSince(date))
        switch seconds {
        case ..<5: return "just now"
        case ..<60: return "\(seconds) s ago"
        case ..<3600: return "\(seconds / 60) min ago"
        case ..<172_800: return "\(seconds / 3600) h ago"
        default: return "\(seconds / 86_400) days ago"
        }
    }

    /// An HTML `<time>` element: relative text, exact UTC time as its tooltip and `datetime`.
    /// `iso` is a timestamp the relay wrote (``Timestamp/iso8601(_:)``); nil or unreadable gives "–".
    static func element(_ iso: String?, now: Date = Date()) -> String {
        guard let iso, let date = Timestamp.date(iso) else { return "–" }
        return "<time datetime=\"\(CardHTML.escape(iso))\" title=\"\(exact(date))\">\(ago(date, now: now))</time>"
    }

    /// `d MMM yyyy HH:mm:ss UTC`.
    static func exact(_ date: Date) -> String {
        DateFormatters.shared.string(date, pattern: "d MMM yyyy HH:mm:ss 'UTC'", zone: .gmt, locale: "en_US_POSIX")
    }
}
