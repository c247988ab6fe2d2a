import Foundation
import JSON

/// What a chat service would make live in a message it received: links (with their targets),
/// images and mentions, found the way that service's renderer finds them. Tests use it to prove
/// that text from Preservica shows as text: a title such as
/// `[Log in](https://evil.example) <!channel> @here` must add nothing here.
///
/// The rules are each service's documented markup, simplified to what can form from text:
/// - Teams (Adaptive Cards, MessageCard): Markdown links and images, bare URLs (autolinked);
///   MessageCard text also takes limited HTML, so `<a href>` and `<img>` there.
/// - Slack mrkdwn: `<url|text>`, `<!channel>`/`<!here>`/`<!everyone>`, `<@U…>`, `<#C…>`,
///   `<!subteam^…>`, bare URLs, `@channel`/`@here`/`@everyone`.
/// - Discord: Markdown links, bare URLs, `<@id>`/`<@&id>`/`<#id>`, `@everyone`/`@here`; in an
///   embed's footer text and author name (plain text) bare URLs only. A backslash escapes a `[`
///   but not a `]` inside a link's text (simple-markdown's `LINK_INSIDE`, which Discord's client
///   parses with; inferred from that library, not from Discord).
/// - Mattermost: Markdown links, bare URLs, every `@name`; in the members it shows as plain text
///   (``ShownTextReader/isPlainMattermostText(key:parent:)``) bare URLs only. Before that, as
///   Mattermost's `ProcessSlackText` does to a webhook's `text` and its attachments' text: the
///   Slack forms `<!channel>`, `<!here>`, `<!all>` become `@channel`…, `<@id>` a mention, and
///   `<url|text>` (`<([^\n<|>]+)\|([^|\n>]+)>`) the Markdown link `[text](url)`.
/// - Google Chat: `<a href>` in card text, `<url|text>` and `<users/all>` in message text, bare
///   URLs; a card header's `title` and `subtitle` are plain text.
/// - Matrix: `<a href>` and `<img>` in `formatted_body`, bare URLs; `@room` in `body` when the
///   event has no `m.mentions`.
///
/// A backslash before a Markdown character (Discord, Mattermost) escapes it, as in CommonMark.
/// Members named like links (`url`, `title_link`, …) are link targets the sender chose, not text:
/// they are reported as `link <url>` too, so a test can tell the relay's own links from others.
extension ChatSinkMessage {
    /// Each live thing, as `"link <target>"`, `"image <target>"` or `"mention <who>"`.
    public var liveMarkup: [String] {
        guard let json else { return [] }
        var found: [String] = []
        LiveMarkupScanner(target: target).scan(json, key: nil, into: &found)
        if target == .matrix, json.objectValue?["m.mentions"] == nil,
           let body = json.objectValue?["body"]?.stringValue, body.utf8.contains("@room".utf8) {
            found.append("mention @room")
        }
        return found
    }
}

/// Walks a payload and reads each text member as its service would.
struct LiveMarkupScanner {
    let target: ChatSinkTarget

    private static let linkMembers: Set<String> = [
        "url", "title_link", "author_link", "image_url", "thumb_url", "icon_url", "avatar_url", "contentUrl", "openLink",
    ]
    private static let notText: Set<String> = ["type", "$schema", "@context", "version", "msgtype", "format", "contentType", "style", "color"]

    func scan(_ value: JSONValue, key: String?, into found: inout [String]) {
        switch value {
        case .string(let text):
            guard let key, !Self.notText.contains(key) else { return }
            if Self.linkMembers.contains(key) {
                found.append("link \(text)")
            } else if (target == .matrix && key == "body") || (target == .googleChat && (key == "title" || key == "subtitle")) {
                // Plain text: Matrix's `body`, Google Chat's card header. Only bare URLs come alive.
                found += bareURLs(text)
            } else {
                found += read(text, key: key)
            }
        case .array(let items):
            for item in items { scan(item, key: key, into: &found) }
        case .object(let object):
            for (member, item) in object {
                if case .string(let text) = item,
                   (target == .mattermost && ShownTextReader.isPlainMattermostText(key: member, parent: object))
                    || (target == .discord && ShownTextReader.isPlainDiscordText(key: member, container: key)) {
                    // Plain text: no Markdown link forms; a bare URL may still be linked.
                    found += bareURLs(text)
                } else {
                    scan(item, key: member, into: &found)
                }
            }
        case .number, .bool, .null:
            break
        }
    }

    private func read(_ text: String, key: String) -> [String] {
        switch target {
        case .teams:
            return markdownLinks(text, backslashEscapes: false) + bareURLs(text)
        case .teamsConnector:
            return markdownLinks(text, backslashEscapes: false) + bareURLs(text) + htmlTags(text)
        case .slack:
            // A `<url|text>` token is one link: what is inside it is not read again as a bare URL.
            return slackTokens(text) + bareURLs(withoutSlackTokens(text)) + words(text, ["channel", "here", "everyone"])
        case .discord:
            // simple-markdown, which Discord's client parses with, reads a backslash as an escape
            // outside a link, but not inside a link's text: there `\]` closes the text.
            return markdownLinks(text, backslashEscapes: true, insideText: false) + bareURLs(text) + angleMentions(text)
                + words(text, ["everyone", "here"])
        case .mattermost:
            let translated = mattermostSlackText(text)
            return markdownLinks(translated, backslashEscapes: true) + bareURLs(translated) + words(translated, nil)
        case .googleChat:
            return htmlTags(text) + slackTokens(text) + bareURLs(withoutSlackTokens(text))
        case .matrix:
            return htmlTags(text) + bareURLs(text)
        case .webhook:
            return []
        }
    }

    private func matches(_ pattern: String, in text: String) -> [String] {
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return [] }
        let range = NSRange(text.startIndex..., in: text)
        return regex.matches(in: text, range: range).compactMap { match in
            let group = match.numberOfRanges > 1 ? match.range(at: 1) : match.range
            return Range(group, in: text).map { String(text[$0]) }
        }
    }

    /// `[text](url)` and `![alt](url)`; with backslash escapes, `\[` or `\]` does not open or close one.
    /// `insideText`: whether a backslash also escapes a `]` inside the link's text (CommonMark),
    /// or only outside a link, so that `\]` closes its text (simple-markdown's `LINK_INSIDE`).
    private func markdownLinks(_ text: String, backslashEscapes: Bool, insideText: Bool = true) -> [String] {
        let open = backslashEscapes ? #"(?<!\\)"# : ""
        let close = backslashEscapes && insideText ? #"(?<!\\)"# : ""
        return matches(open + #"!?\[[^\]]*"# + close + #"\]\(([^)\s]+)\)"#, in: text).map { "link \($0)" }
    }

    private func bareURLs(_ text: String) -> [String] {
        matches(#"(?i)\b((?:https?|ftp|javascript)://[^\s<>]+|www\.[^\s<>]+)"#, in: text).map { "link \($0)" }
    }

    /// `text` with its `<…>` tokens (as ``slackTokens(_:)`` finds them) taken out.
    private func withoutSlackTokens(_ text: String) -> String {
        text.replacingOccurrences(of: Self.slackTokenPattern, with: " ", options: .regularExpression)
    }

    private static let slackTokenPattern = #"<((?:[!@#]|users/|[A-Za-z][A-Za-z0-9+.-]*:)[^<>]*)>"#

    /// `<…>` tokens, which form only when the `<` is followed by what they name: `!`, `@`, `#`,
    /// `users/`, or a URL scheme (a `<` followed by anything else, such as an invisible space, is text).
    private func slackTokens(_ text: String) -> [String] {
        matches(Self.slackTokenPattern, in: text).map { token in
            if token.hasPrefix("!") || token.hasPrefix("@") || token.hasPrefix("#") || token.hasPrefix("users/") {
                return "mention <\(token)>"
            }
            return "link \(token.split(separator: "|").first.map(String.init) ?? token)"
        }
    }

    /// What Mattermost makes of Slack's forms in a webhook's text before reading it as Markdown
    /// (`ProcessSlackText`: `expandAnnouncement`, `replaceUserIds`, then the Slack link pattern).
    private func mattermostSlackText(_ text: String) -> String {
        var text = text
        for (slack, mention) in [("<!channel>", "@channel"), ("<!here>", "@here"), ("<!all>", "@all")] {
            text = text.replacingOccurrences(of: slack, with: mention)
        }
        text = text.replacingOccurrences(of: #"<@([a-zA-Z0-9]+)>"#, with: "@$1", options: .regularExpression)
        return text.replacingOccurrences(of: #"<([^\n<|>]+)\|([^|\n>]+)>"#, with: "[$2]($1)", options: .regularExpression)
    }

    private func angleMentions(_ text: String) -> [String] {
        matches(#"(?<!\\)<(@[!&]?\d+|#\d+)>"#, in: text).map { "mention <\($0)>" }
    }

    /// `@word` at a word start; only the given words, or any word when nil.
    private func words(_ text: String, _ allowed: Set<String>?) -> [String] {
        matches(#"(?<![\w\\])@([A-Za-z][\w.-]*)"#, in: text).compactMap { word in
            guard allowed.map({ $0.contains(word.lowercased()) }) ?? true else { return nil }
            return "mention @\(word)"
        }
    }

    /// `<a href>` and `<img src>`, with the attribute's character references read, as a browser
    /// reads them (`&amp;` in an `href` is `&`).
    private func htmlTags(_ text: String) -> [String] {
        matches(#"(?i)<a\s[^>]*href\s*=\s*["']?([^"'\s>]*)"#, in: text).map { "link \(ShownTextReader.decodingEntities($0))" }
            + matches(#"(?i)<img\s[^>]*src\s*=\s*["']?([^"'\s>]*)"#, in: text).map { "image \(ShownTextReader.decodingEntities($0))" }
    }
}
