/// JSON for the terminal: the text `JSONWriter` wrote, with every character the terminal output
/// would escape (C1 controls, DEL, bidirectional controls) written as a JSON `\uXXXX` escape
/// instead. Outside strings JSON is plain ASCII, so the result is the same JSON value, still
/// parses, and `print` has nothing left to escape: `preview > payload.json` is the payload sent.
enum TerminalJSON {
    static func text(_ json: String) -> String {
        guard json.unicodeScalars.contains(where: needsEscape) else { return json }
        var out = String.UnicodeScalarView()
        for scalar in json.unicodeScalars {
            guard needsEscape(scalar) else {
                out.append(scalar)
                continue
            }
            let hex = String(scalar.value, radix: 16)
            out.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).unicodeScalars)
        }
        return String(out)
    }

    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x7F..<0xA0, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }
}
