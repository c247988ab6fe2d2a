/// Adaptive Cards' `{{DATE(iso, SHORT)}} {{TIME(iso)}}`, which Teams shows in each reader's own
/// zone: the members of the template data the relay writes as markup (`event.time.teams`, and a
/// digest's span as `digest.time.teamsSpan`).
/// The escaper leaves a value alone only when it is exactly this, made from a parsed time; a
/// notification's own text in its place is escaped like any other.
public enum TeamsTimeText {
    /// The functions for `iso`, a UTC time in whole seconds (`2026-11-30T17:23:16Z`).
    public static func make(iso: String) -> String {
        "{{DATE(\(iso), SHORT)}} {{TIME(\(iso))}}"
    }

    /// A span from `from` to `to` (each `yyyy-MM-ddTHH:mm:ssZ`): one time when they are equal, the
    /// day once when they share a UTC day (`{{DATE(a, SHORT)}} {{TIME(a)}}–{{TIME(b)}}`), else both days.
    public static func makeSpan(from: String, to: String) -> String {
        if from == to { return make(iso: from) }
        if from.prefix(10) == to.prefix(10) { return make(iso: from) + "–{{TIME(\(to))}}" }
        return make(iso: from) + " – " + make(iso: to)
    }

    /// Whether `text` is what ``makeSpan(from:to:)`` writes for two different times. Only the
    /// digest's member may hold one: a notification's unreadable timestamp, which stands in
    /// `event.time.teams`, cannot pass as a span.
    static func isBuiltSpan(_ text: String) -> Bool {
        // The times it names, written again, must give the same text.
        let times = text.components(separatedBy: "(").dropFirst().map { String($0.prefix(20)) }
        guard times.count == 3 || times.count == 4, let from = times.first, let to = times.last, from != to,
              times.allSatisfy({ isUTCSeconds(ArraySlice($0.utf8)) }) else { return false }
        return text == makeSpan(from: from, to: to)
    }

    /// Whether `text` is what ``make(iso:)`` writes for one such time.
    static func isBuilt(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        let head = Array("{{DATE(".utf8), middle = Array(", SHORT)}} {{TIME(".utf8), tail = Array(")}}".utf8)
        let width = 20
        guard bytes.count == head.count + width + middle.count + width + tail.count,
              bytes.starts(with: head), bytes.suffix(tail.count).elementsEqual(tail) else { return false }
        let first = bytes[head.count ..< head.count + width]
        let between = bytes[first.endIndex ..< first.endIndex + middle.count]
        let second = bytes[between.endIndex ..< between.endIndex + width]
        return between.elementsEqual(middle) && first.elementsEqual(second) && isUTCSeconds(first)
    }

    /// `yyyy-MM-ddTHH:mm:ssZ`.
    private static func isUTCSeconds(_ iso: ArraySlice<UInt8>) -> Bool {
        guard iso.count == 20 else { return false }
        // Each field within its range, as a time the relay wrote is.
        let digits = Array(iso)
        func number(_ at: Int) -> Int { Int(digits[at] &- 0x30) * 10 + Int(digits[at + 1] &- 0x30) }
        guard digits.allSatisfy({ $0 < 0x80 }), (1...12).contains(number(5)), (1...31).contains(number(8)),
              number(11) < 24, number(14) < 60, number(17) < 60 else { return false }
        for (offset, byte) in iso.enumerated() {
            let expected: UInt8? = switch offset {
            case 4, 7: UInt8(ascii: "-")
            case 10: UInt8(ascii: "T")
            case 13, 16: UInt8(ascii: ":")
            case 19: UInt8(ascii: "Z")
            default: nil
            }
            if let expected { guard byte == expected else { return false } } else {
                guard byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") else { return false }
            }
        }
        return true
    }
}
