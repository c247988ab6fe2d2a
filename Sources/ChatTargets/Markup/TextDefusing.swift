import Foundation

/// The small operations that keep text from turning into markup, shared by every ``MarkupStyle``.
///
/// Where a service has no escape (bare URLs, mentions), an invisible ZERO WIDTH SPACE (U+200B) is
/// put where the service's parser would see markup: the text reads the same, the link or mention
/// does not form.
public enum TextDefusing {
    // Everything here reads text scalar by scalar, never by `Character`: a Character is a whole
    // grapheme cluster, so a `<` after a prepended mark (U+0600) or before a combining one (U+0301)
    // is not the Character "<", while every service's parser still reads a `<`.

    /// ZERO WIDTH SPACE: invisible, and breaks every autolink and mention parser the services use.
    static let breaker: Unicode.Scalar = "\u{200B}"

    /// Words that notify a whole channel after `@` (Slack, Discord).
    static let massMentions: Set<String> = ["here", "channel", "everyone", "all"]

    /// `&`, `<`, `>` (and `"`, `'` when `quotes`) as HTML entities.
    public static func entities(_ text: String, quotes: Bool) -> String {
        let special: (Unicode.Scalar) -> Bool = { $0 == "&" || $0 == "<" || $0 == ">" || (quotes && ($0 == "\"" || $0 == "'")) }
        guard text.unicodeScalars.contains(where: special) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out.append(contentsOf: "&amp;".unicodeScalars)
            case "<": out.append(contentsOf: "&lt;".unicodeScalars)
            case ">": out.append(contentsOf: "&gt;".unicodeScalars)
            case "\"" where quotes: out.append(contentsOf: "&quot;".unicodeScalars)
            case "'" where quotes: out.append(contentsOf: "&#39;".unicodeScalars)
            default: out.append(scalar)
            }
        }
        return String(out)
    }

    /// The five entities ``entities(_:quotes:)`` writes, read back.
    static func decodeEntities(_ text: String) -> String {
        guard text.unicodeScalars.contains("&") else { return text }
        return text.replacingAll("&lt;", with: "<").replacingAll("&gt;", with: ">").replacingAll("&quot;", with: "\"")
            .replacingAll("&#39;", with: "'").replacingAll("&amp;", with: "&")
    }

    /// ``entities(_:quotes:)`` read back for text that shows no entities but reads `<…>` as a
    /// link or mention (Google Chat's message text): each `<` from the data stays broken by a
    /// ``breaker`` after it, so no `<users/all>` or `<url|text>` forms.
    static func decodeEntitiesKeepingAnglesBroken(_ text: String) -> String {
        guard text.unicodeScalars.contains("&") else { return text }
        return text.replacingAll("&lt;", with: "<\u{200B}").replacingAll("&gt;", with: ">").replacingAll("&quot;", with: "\"")
            .replacingAll("&#39;", with: "'").replacingAll("&amp;", with: "&")
    }

    /// Text without the bidirectional embedding, override and isolate controls (U+202A to U+202E,
    /// U+2066 to U+2069), with which a file name such as `invoice\u{202E}fdp.exe` shows as
    /// `invoiceexe.pdf`. Right-to-left text needs none of them to read right.
    static func withoutBidiControls(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isBidiControl) else { return text }
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: text.unicodeScalars.filter { !isBidiControl($0) })
        return String(scalars)
    }

    private static func isBidiControl(_ scalar: Unicode.Scalar) -> Bool {
        (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
    }

    /// The Markdown punctuation that can start markup backslash-escaped (CommonMark: any ASCII
    /// punctuation may be escaped). A link needs `[`, a mention `<`, emphasis `*` `_` `~`, code
    /// `` ` ``, a heading `#`, a quote `>`, a table `|`; other punctuation is left alone so that
    /// file names and dates read as they are.
    static func backslashes(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: markdownPunctuation.contains) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if markdownPunctuation.contains(scalar) { out.append("\\") }
            out.append(scalar)
        }
        return String(out)
    }

    /// ``backslashes(_:)`` read back: for the members a service shows as plain text.
    static func removingBackslashes(_ text: String) -> String {
        guard text.unicodeScalars.contains("\\") else { return text }
        var out = String.UnicodeScalarView()
        var escaping = false
        for scalar in text.unicodeScalars {
            if !escaping && scalar == "\\" {
                escaping = true
                continue
            }
            if escaping && !markdownPunctuation.contains(scalar) { out.append("\\") }
            out.append(scalar)
            escaping = false
        }
        if escaping { out.append("\\") }
        return String(out)
    }

    private static let markdownPunctuation: Set<Unicode.Scalar> = [
        "\\", "*", "_", "~", "`", "|", "[", "]", "<", ">", "#",
    ]

    /// `[text](url)` and `![alt](url)` broken between `]` and `(`, for Markdown without reliable escapes.
    static func linkSyntax(_ text: String) -> String {
        text.replacingAll("](", with: "]\u{200B}(")
    }

    /// Every `{` that follows a `{` broken from it, so no Adaptive Cards text function
    /// (`{{DATE(…)}}`) forms from data, not even out of a longer run such as `{{{`.
    static func braces(_ text: String) -> String {
        breaking(after: "{", in: text) { rest in rest.first == "{" }
    }

    /// Bare URLs that a service would turn into links: `scheme://` and `www.` (in any case:
    /// autolinkers read `Www.` too) broken.
    static func links(_ text: String) -> String {
        let out = text.replacingAll("://", with: ":\u{200B}//")
        // `www.` in any case: the break goes before the dot.
        return breaking(before: ".", in: out) { before in
            before.count >= 3 && before.suffix(3).allSatisfy { $0 == "w" || $0 == "W" }
        }
    }

    /// HTML tags broken after the `<` (`<\u{200B}a href=…>`), for text that a service reads as
    /// Markdown with some HTML in it (MessageCard): the text reads the same, no tag forms.
    static func tags(_ text: String) -> String {
        breaking(after: "<", in: text) { rest in
            rest.first.map { $0.properties.isAlphabetic || $0 == "/" || $0 == "!" || $0 == "?" } ?? false
        }
    }

    /// `@word` broken after the `@`: every word when `words` is nil, otherwise only those listed
    /// (compared case-insensitively).
    static func mentions(_ text: String, words: Set<String>?) -> String {
        breaking(after: "@", in: text) { rest in
            guard let first = rest.first, isWordScalar(first) else { return false }
            guard let words else { return true }
            var word = String.UnicodeScalarView()
            word.append(contentsOf: rest.prefix { $0.properties.isAlphabetic })
            return words.contains(String(word).lowercased())
        }
    }

    private static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }

    /// `text` with ``breaker`` after every `marker` whose following scalars `breaks` accepts.
    private static func breaking(after marker: Unicode.Scalar, in text: String,
                                 when breaks: (ArraySlice<Unicode.Scalar>) -> Bool) -> String {
        guard text.unicodeScalars.contains(marker) else { return text }
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        for (index, scalar) in scalars.enumerated() {
            out.append(scalar)
            if scalar == marker, index + 1 < scalars.count, breaks(scalars[(index + 1)...]) { out.append(breaker) }
        }
        return String(out)
    }

    /// `text` with ``breaker`` before every `marker` whose preceding scalars `breaks` accepts.
    private static func breaking(before marker: Unicode.Scalar, in text: String,
                                 when breaks: (ArraySlice<Unicode.Scalar>) -> Bool) -> String {
        guard text.unicodeScalars.contains(marker) else { return text }
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        for (index, scalar) in scalars.enumerated() {
            if scalar == marker, breaks(scalars[..<index]) { out.append(breaker) }
            out.append(scalar)
        }
        return String(out)
    }
}

extension String {
    /// Every occurrence of `target` replaced by `replacement`, matched scalar by scalar (plain,
    /// not a pattern, and not by grapheme cluster).
    func replacingAll(_ target: String, with replacement: String) -> String {
        let pattern = Array(target.unicodeScalars)
        guard let first = pattern.first, unicodeScalars.contains(first) else { return self }
        let scalars = Array(unicodeScalars)
        var out = String.UnicodeScalarView()
        var index = 0
        var replaced = false
        while index < scalars.count {
            if scalars[index] == first, scalars[index...].starts(with: pattern) {
                out.append(contentsOf: replacement.unicodeScalars)
                index += pattern.count
                replaced = true
            } else {
                out.append(scalars[index])
                index += 1
            }
        }
        return replaced ? String(out) : self
    }
}
