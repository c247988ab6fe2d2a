import Relay

/// JSON for the terminal: the text `JSONWriter` wrote, with every character the terminal output
/// would escape (``TerminalText/actsOnTerminal(_:)``: C1 controls, DEL, direction controls) written
/// as a JSON `\uXXXX` escape instead. Outside strings JSON is plain ASCII and inside them the
/// writer escapes C0 controls already, so the result is the same JSON value, still parses, and
/// `print` has nothing left to escape: `preview > payload.json` is the payload sent.
enum TerminalJSON {
    static func text(_ json: String) -> String {
        guard json.unicodeScalars.contains(where: TerminalText.actsOnTerminal) else { return json }
        var out = String.UnicodeScalarView()
        for scalar in json.unicodeScalars {
            guard TerminalText.actsOnTerminal(scalar) else {
                out.append(scalar)
                continue
            }
            let hex = String(scalar.value, radix: 16)
            out.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).unicodeScalars)
        }
        return String(out)
    }
}
