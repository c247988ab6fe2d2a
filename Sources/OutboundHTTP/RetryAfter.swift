import Foundation

/// Reading waits out of replies: `Retry-After` (RFC 9110 §10.2.3) from chat services and from
/// Preservica, and the waits some services give in their bodies.
public enum RetryAfter {
    /// The longest wait a service may ask for; a longer `Retry-After` is cut to this.
    public static let cap: Duration = .seconds(900)

    /// `Retry-After` as seconds (integer or decimal) or as an HTTP date, at most ``cap``.
    public static func parse(_ value: String?) -> Duration? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        var seconds = Double(value)
        if seconds == nil {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
            seconds = formatter.date(from: value).map { $0.timeIntervalSinceNow }
        }
        guard let seconds, seconds.isFinite else { return nil }
        return Self.seconds(seconds)
    }

    /// A wait from seconds given as a number (a header, Discord's or Matrix's JSON body), at most
    /// ``cap``. Bounded before it becomes whole milliseconds: a reply asking for 1e16 seconds, or
    /// infinity, must not trap the conversion (and take the relay down at every restart).
    public static func seconds(_ value: Double) -> Duration {
        guard !value.isNaN else { return .zero }
        let bounded = min(max(0, value), Double(cap.components.seconds))
        return .milliseconds(Int64(bounded * 1000))
    }
}
