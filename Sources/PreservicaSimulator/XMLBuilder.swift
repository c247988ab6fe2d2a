/// Writes indented XML text with every text node and attribute value escaped, so titles holding
/// `&`, `<`, `>` or quotes come out as well-formed XML.
struct XMLBuilder {
    private(set) var text = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
    private var open: [String] = []

    /// Opens `name`; close it with ``close()``.
    mutating func open(_ name: String, _ attributes: KeyValuePairs<String, String> = [:]) {
        text += indent + "<" + name + Self.attributes(attributes) + ">\n"
        open.append(name)
    }

    /// Closes the innermost open element.
    mutating func close() {
        let name = open.removeLast()
        text += indent + "</" + name + ">\n"
    }

    /// An element holding only text (or empty when `value` is nil and `empty` was asked for).
    mutating func leaf(_ name: String, _ value: String?, _ attributes: KeyValuePairs<String, String> = [:]) {
        let start = indent + "<" + name + Self.attributes(attributes)
        if let value {
            text += start + ">" + Self.escape(value, quotes: false) + "</" + name + ">\n"
        } else {
            text += start + "/>\n"
        }
    }

    /// The finished document.
    var document: String {
        precondition(open.isEmpty, "unclosed element \(open.last ?? "")")
        return text
    }

    private var indent: String { String(repeating: "  ", count: open.count) }

    private static func attributes(_ attributes: KeyValuePairs<String, String>) -> String {
        attributes.map { " \($0.key)=\"\(escape($0.value, quotes: true))\"" }.joined()
    }

    /// `value` with the XML special characters replaced by entities.
    static func escape(_ value: String, quotes: Bool) -> String {
        var out = ""
        out.reserveCapacity(value.utf8.count)
        for character in value.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"" where quotes: out += "&quot;"
            case "'" where quotes: out += "&apos;"
            // Control characters other than tab, newline and carriage return are not allowed in XML 1.0.
            case let scalar where scalar.value < 0x20 && scalar != "\t" && scalar != "\n" && scalar != "\r": out += "\u{FFFD}"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }
}
