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

    /// Bare URLs that a service would turn into links: `scheme://` and `www.` broken.
    static func links(_ text: String) -> String {
        var out = text
        if out.contains("://") { out = out.replacingAll("://", with: ":\u{200B}//") }
        if out.range(of: "www.", options: .caseInsensitive) != nil {
            out = out.replacingAll("www.", with: "www\u{200B}.").replacingAll("WWW.", with: "WWW\u{200B}.")
        }
        return out
    }

    /// `@word` broken after the `@`: every word when `words` is nil, otherwise only those listed
    /// (compared case-insensitively).
    static func mentions(_ text: String, words: Set<String>?) -> String {
        guard text.contains("@") else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            out.append(character)
            let next = text.index(after: index)
            if character == "@", next < text.endIndex, text[next].isLetter || text[next].isNumber {
                if let words {
                    let word = text[next...].prefix { $0.isLetter }.lowercased()
                    if words.contains(word) { out.append(breaker) }
                } else {
                    out.append(breaker)
                }
            }
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
