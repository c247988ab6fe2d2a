/// Text from outside (a chat service's reply, a title from Preservica, a peer's trigger string)
/// made safe to print on an operator's terminal.
///
/// Escape sequences (ESC, the C1 CSI, BEL...) could otherwise move the cursor, retitle the
/// window, rewrite earlier lines or worse: a chat service would drive the terminal of whoever runs
/// `dead` or `audit`. Every control character becomes a visible `\xNN` or `\u{NNNN}`, as do the
/// bidirectional overrides that make text read differently from what it is.
public enum TerminalText {
    /// `text` with every control character escaped, line breaks and tabs included: for one field
    /// of a one-line listing, which must not start a line of its own.
    public static func field(_ text: String) -> String {
        escaped(text, keepingLines: false)
    }

    /// `text` with every control character escaped except line feeds and tabs: for whole lines
    /// and multi-line output.
    public static func lines(_ text: String) -> String {
        escaped(text, keepingLines: true)
    }

    private static func escaped(_ text: String, keepingLines: Bool) -> String {
        guard text.unicodeScalars.contains(where: { needsEscape($0, keepingLines: keepingLines) }) else { return text }
        var out = ""
        out.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            guard needsEscape(scalar, keepingLines: keepingLines) else {
                out.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                let hex = String(scalar.value, radix: 16, uppercase: true)
                out += scalar.value < 0x100 ? "\\x" + (hex.count < 2 ? "0" + hex : hex) : "\\u{" + hex + "}"
            }
        }
        return out
    }

    /// Whether `scalar` is one ``lines(_:)`` escapes: a control a terminal would act on (line
    /// feeds and tabs are not).
    public static func actsOnTerminal(_ scalar: Unicode.Scalar) -> Bool {
        needsEscape(scalar, keepingLines: true)
    }

    private static func needsEscape(_ scalar: Unicode.Scalar, keepingLines: Bool) -> Bool {
        switch scalar.value {
        case 0x0A, 0x09: !keepingLines
        case 0x00..<0x20, 0x7F..<0xA0: true
        // Bidirectional embeddings, overrides and isolates, and the marks (LRM, RLM, ALM).
        case 0x202A...0x202E, 0x2066...0x2069, 0x200E, 0x200F, 0x061C: true
        // The line and paragraph separators, which some terminals break a line at, and the
        // byte-order mark, which shows as nothing.
        case 0x2028, 0x2029, 0xFEFF: true
        default: false
        }
    }
}
