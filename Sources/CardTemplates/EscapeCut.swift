/// Text cut short after the relay escaped it for a chat service (`&amp;` for Slack, Google Chat
/// and Matrix; `\_` for Discord and Mattermost) must not end inside an escape: `&am` or a lone
/// `\` would show as such. One rule for every service, since each escapes one way or the other.
public enum EscapeCut {
    /// `kept` without a trailing entity the cut split (`&am`, `&#x2`) or a lone trailing
    /// backslash, whose escaped character the cut left out.
    public static func backedOff(_ kept: String) -> String {
        var scalars = Array(kept.unicodeScalars)
        if let ampersand = scalars.lastIndex(of: "&"), scalars.count - ampersand <= 10,
           scalars[(ampersand + 1)...].allSatisfy(isEntityScalar) {
            scalars.removeSubrange(ampersand...)
        }
        let backslashes = scalars.reversed().prefix { $0 == "\\" }.count
        if backslashes % 2 == 1 { scalars.removeLast() }
        var result = ""
        result.unicodeScalars.append(contentsOf: scalars)
        return result
    }

    /// `rest`, the text after a cut whose earlier part is `before`, where the cut may fall inside
    /// an escape: the remainder of a split entity (`mp;`) is left out, and a character whose
    /// escaping backslash lies before the cut gets its backslash back.
    public static func fromCut(before: Substring, rest: String) -> String {
        let before = before.unicodeScalars
        var scalars = Array(rest.unicodeScalars)
        let backslashes = before.reversed().prefix { $0 == "\\" }.count
        if backslashes % 2 == 1 {
            scalars.insert("\\", at: 0)
        } else if let ampersand = before.lastIndex(of: "&"), before.distance(from: ampersand, to: before.endIndex) <= 10,
                  before[before.index(after: ampersand)...].allSatisfy(isEntityScalar),
                  let semicolon = scalars.prefix(10).firstIndex(of: ";"), scalars[..<semicolon].allSatisfy(isEntityScalar) {
            scalars.removeSubrange(...semicolon)
        }
        var result = ""
        result.unicodeScalars.append(contentsOf: scalars)
        return result
    }

    /// A scalar an entity's name or number is made of.
    private static func isEntityScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "#" || (scalar.isASCII && scalar.properties.isAlphabetic) || ("0"..."9").contains(scalar)
    }

    /// `text` in upper or lower case with its entities (`&amp;`, `&#39;`) as they are: a service
    /// reads `&AMP;` as text.
    static func changingCase(_ text: String, upper: Bool) -> String {
        guard text.contains("&") else { return upper ? text.uppercased() : text.lowercased() }
        var out = ""
        var rest = Substring(text)
        while let ampersand = rest.firstIndex(of: "&") {
            let before = rest[..<ampersand]
            out += upper ? before.uppercased() : before.lowercased()
            let tail = rest[ampersand...].dropFirst()
            let name = tail.prefix { $0 == "#" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
            if !name.isEmpty, name.count <= 10, tail.dropFirst(name.count).first == ";" {
                let end = tail.index(tail.startIndex, offsetBy: name.count + 1)
                out += rest[ampersand..<end]
                rest = rest[end...]
            } else {
                out += "&"
                rest = tail
            }
        }
        return out + (upper ? rest.uppercased() : rest.lowercased())
    }
}
