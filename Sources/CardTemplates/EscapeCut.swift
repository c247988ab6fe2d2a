/// Text cut short after the relay escaped it for a chat service must not end or begin inside an
/// escape: `&am` (entities: Slack, Google Chat, Matrix) or a lone `\` (backslashes: Discord,
/// Mattermost) would show as such. A service that escapes neither way (Teams, the generic
/// webhook, `render` without a target) gets its text cut as it is.
public enum EscapeCut {
    /// How the data a template renders was escaped.
    public enum Style: Sendable {
        case none, entities, backslashes
    }

    /// The escaping of the data being rendered now: set by whoever renders for a service
    /// (`EscapeCut.$style.withValue(.entities) { template.render(data) }`), read by the text
    /// functions that cut or change case.
    @TaskLocal public static var style = Style.none

    /// `kept` without a trailing entity the cut split (`&am`, `&#x2`) or a lone trailing
    /// backslash, whose escaped character the cut left out.
    public static func backedOff(_ kept: String, style: Style = style) -> String {
        if style == .none { return kept }
        var scalars = Array(kept.unicodeScalars)
        switch style {
        case .none:
            break
        case .entities:
            if let ampersand = scalars.lastIndex(of: "&"), scalars.count - ampersand <= 10,
               scalars[(ampersand + 1)...].allSatisfy(isEntityScalar) {
                scalars.removeSubrange(ampersand...)
            }
        case .backslashes:
            let backslashes = scalars.reversed().prefix { $0 == "\\" }.count
            if backslashes % 2 == 1 { scalars.removeLast() }
        }
        var result = ""
        result.unicodeScalars.append(contentsOf: scalars)
        return result
    }

    /// `rest`, the text after a cut whose earlier part is `before`, where the cut may fall inside
    /// an escape: the remainder of a split entity (`mp;`) is left out, and a character whose
    /// escaping backslash lies before the cut gets its backslash back.
    public static func fromCut(before: Substring, rest: String, style: Style = style) -> String {
        if style == .none { return rest }
        let before = before.unicodeScalars
        var scalars = Array(rest.unicodeScalars)
        switch style {
        case .none:
            break
        case .backslashes:
            if before.reversed().prefix(while: { $0 == "\\" }).count % 2 == 1 { scalars.insert("\\", at: 0) }
        case .entities:
            guard let ampersand = before.lastIndex(of: "&"), before.distance(from: ampersand, to: before.endIndex) <= 10,
                  before[before.index(after: ampersand)...].allSatisfy(isEntityScalar) else { break }
            if let semicolon = scalars.prefix(10).firstIndex(of: ";"), scalars[..<semicolon].allSatisfy(isEntityScalar) {
                scalars.removeSubrange(...semicolon)
            } else if scalars.count <= 10 && scalars.allSatisfy(isEntityScalar) {
                // Both ends of the cut inside one entity: nothing of it is text.
                scalars = []
            }
        }
        var result = ""
        result.unicodeScalars.append(contentsOf: scalars)
        return result
    }

    /// A scalar an entity's name or number is made of.
    private static func isEntityScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "#" || (scalar.isASCII && scalar.properties.isAlphabetic) || ("0"..."9").contains(scalar)
    }

    /// `text` in upper or lower case, with its entities (`&amp;`, `&#39;`) as they are when the
    /// data was escaped with entities: a service reads `&AMP;` as text.
    static func changingCase(_ text: String, upper: Bool, style: Style = style) -> String {
        guard style == .entities, text.contains("&") else { return upper ? text.uppercased() : text.lowercased() }
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
