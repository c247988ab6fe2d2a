/// Durations written as text: `250ms`, `10s`, `5m`, `24h`, `7d`, or sums such as `1h30m`.
public enum DurationText {
    /// The longest duration a setting may spell: a century. Beyond it a number such as
    /// `99999999999999999d` would not fit in whole milliseconds.
    static let longest: Duration = .seconds(100 * 365 * 86_400)

    /// The duration `text` spells, or nil when it is not of that form (or longer than ``longest``).
    public static func parse(_ text: String) -> Duration? {
        var total: Duration = .zero
        var rest = Substring(text.trimmingCharacters(in: " "))
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, let value = Double(number), value.isFinite else { return nil }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { $0.isASCII && $0.isLetter }
            rest = rest.dropFirst(unit.count)
            let seconds: Double
            switch unit {
            case "ms": seconds = value / 1000
            case "s": seconds = value
            case "m": seconds = value * 60
            case "h": seconds = value * 3600
            case "d": seconds = value * 86_400
            default: return nil
            }
            guard seconds * 1000 <= Double(longest.components.seconds) * 1000 else { return nil }
            total += .milliseconds(Int64((seconds * 1000).rounded()))
            guard total <= longest else { return nil }
        }
        return total
    }

    /// `duration` in the shortest of these forms that is exact, e.g. `30s`, `250ms`.
    public static func format(_ duration: Duration) -> String {
        let milliseconds = Int64(duration.components.seconds) * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
        if milliseconds % 3_600_000 == 0 && milliseconds > 0 { return "\(milliseconds / 3_600_000)h" }
        if milliseconds % 60_000 == 0 && milliseconds > 0 { return "\(milliseconds / 60_000)m" }
        if milliseconds % 1000 == 0 { return "\(milliseconds / 1000)s" }
        return "\(milliseconds)ms"
    }
}

extension String {
    func trimmingCharacters(in character: Character) -> String {
        var text = Substring(self)
        while text.first == character { text.removeFirst() }
        while text.last == character { text.removeLast() }
        return String(text)
    }
}
