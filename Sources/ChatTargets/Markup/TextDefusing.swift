import Foundation

/// The small operations that keep text from turning into markup, shared by every ``MarkupStyle``.
///
/// Where a service has no escape (bare URLs, mentions), an invisible ZERO WIDTH SPACE (U+200B) is
/// put where the service's parser would see markup: the text reads the same, the link or mention
/// does not form.
enum TextDefusing {
    /// ZERO WIDTH SPACE: invisible, and breaks every autolink and mention parser the services use.
    static let breaker: Character = "\u{200B}"

    /// Words that notify a whole channel after `@` (Slack, Discord).
    static let massMentions: Set<String> = ["here", "channel", "everyone", "all"]

    /// `&`, `<`, `>` (and `"`, `'` when `quotes`) as HTML entities.
    static func entities(_ text: String, quotes: Bool) -> String {
        guard text.contains(where: { $0 == "&" || $0 == "<" || $0 == ">" || (quotes && ($0 == "\"" || $0 == "'")) }) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"" where quotes: out += "&quot;"
            case "'" where quotes: out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }

    /// The five entities ``entities(_:quotes:)`` writes, read back.
    static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        return text.replacingAll("&lt;", with: "<").replacingAll("&gt;", with: ">").replacingAll("&quot;", with: "\"")
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
        guard text.contains(where: { markdownPunctuation.contains($0) }) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for character in text {
            if markdownPunctuation.contains(character) { out.append("\\") }
            out.append(character)
        }
        return out
    }

    private static let markdownPunctuation: Set<Character> = [
        "\\", "*", "_", "~", "`", "|", "[", "]", "<", ">", "#",
    ]

    /// `[text](url)` and `![alt](url)` broken between `]` and `(`, for Markdown without reliable escapes.
    static func linkSyntax(_ text: String) -> String {
        text.contains("](") ? text.replacingAll("](", with: "]\u{200B}(") : text
    }

    /// `{{` broken, so no Adaptive Cards text function (`{{DATE(…)}}`) forms from data.
    static func braces(_ text: String) -> String {
        text.contains("{{") ? text.replacingAll("{{", with: "{\u{200B}{") : text
    }

    /// Bare URLs that a service would turn into links: `scheme://` and `www.` (in any case:
    /// autolinkers read `Www.` too) broken.
    static func links(_ text: String) -> String {
        var out = text
        if out.contains("://") { out = out.replacingAll("://", with: ":\u{200B}//") }
        guard out.range(of: "www.", options: .caseInsensitive) != nil else { return out }
        var broken = ""
        var rest = Substring(out)
        while let found = rest.range(of: "www.", options: .caseInsensitive) {
            broken += rest[..<found.lowerBound]
            broken += rest[found].dropLast()
            broken += "\u{200B}."
            rest = rest[found.upperBound...]
        }
        return broken + rest
    }

    /// HTML tags broken after the `<` (`<\u{200B}a href=…>`), for text that a service reads as
    /// Markdown with some HTML in it (MessageCard): the text reads the same, no tag forms.
    static func tags(_ text: String) -> String {
        breaking(after: "<", in: text) { rest in rest.first.map { $0.isLetter || "/!?".contains($0) } ?? false }
    }

    /// `@word` broken after the `@`: every word when `words` is nil, otherwise only those listed
    /// (compared case-insensitively).
    static func mentions(_ text: String, words: Set<String>?) -> String {
        breaking(after: "@", in: text) { rest in
            guard let first = rest.first, first.isLetter || first.isNumber else { return false }
            guard let words else { return true }
            return words.contains(rest.prefix { $0.isLetter }.lowercased())
        }
    }

    /// `text` with ``breaker`` after every `marker` whose following text `breaks` accepts.
    private static func breaking(after marker: Character, in text: String, when breaks: (Substring) -> Bool) -> String {
        guard text.contains(marker) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            out.append(character)
            let next = text.index(after: index)
            if character == marker, next < text.endIndex, breaks(text[next...]) { out.append(breaker) }
            index = next
        }
        return out
    }
}

extension String {
    /// Every occurrence of `target` replaced by `replacement` (plain, not a pattern).
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty, contains(target) else { return self }
        return components(separatedBy: target).joined(separator: replacement)
    }
}
