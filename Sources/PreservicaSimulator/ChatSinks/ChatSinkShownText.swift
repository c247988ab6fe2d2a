import Foundation
import JSON

/// What a reader sees of each text in a message a chat service received: the markup's escapes
/// read (a backslash before punctuation, an HTML entity), and invisible characters left out. Tests
/// use it to prove that a title such as `Smith_Jones & Co <1890>` shows as itself, not as
/// `Smith\_Jones &amp; Co`.
///
/// Which text is read how, per service:
/// - Mattermost: `text`, `pretext`, a field's `value` and a `title` without `title_link` are
///   Markdown, so a backslash escape is read; `fallback` (notifications), `footer`, `author_name`, a
///   field's `title` and a `title` with `title_link` are shown as they are (the web app renders
///   them as plain text: `message_attachment.tsx`).
/// - Discord: Markdown everywhere but an embed's footer and author name.
/// - Slack: mrkdwn and plain_text alike read `&amp;`, `&lt;` and `&gt;`.
/// - Google Chat: card text (the HTML subset) reads entities; the message `text` and a card
///   header's `title` and `subtitle` are shown as they are.
/// - Matrix: `formatted_body` is HTML (tags dropped, entities read); `body` is shown as it is.
/// - Teams and the generic webhook: as they are.
extension ChatSinkMessage {
    /// Each text member as a reader sees it.
    public var shownTexts: [String] {
        guard let json else { return [] }
        var found: [String] = []
        ShownTextReader(target: target).read(json, key: nil, parent: nil, container: nil, into: &found)
        return found
    }
}

struct ShownTextReader {
    let target: ChatSinkTarget

    private static let notText: Set<String> = [
        "type", "$schema", "@context", "version", "msgtype", "format", "contentType", "style", "color", "url", "title_link",
        "author_link", "image_url", "thumb_url", "icon_url", "avatar_url", "contentUrl", "openLink",
    ]

    /// Reads `value`, the member `key` of `parent`, which is itself the member `container` of its
    /// own parent (nil: the message itself).
    func read(_ value: JSONValue, key: String?, parent: JSONObject?, container: String?, into found: inout [String]) {
        switch value {
        case .string(let text):
            guard let key, !Self.notText.contains(key) else { return }
            found.append(Self.visible(shown(text, key: key, parent: parent, container: container)))
        case .array(let items):
            for item in items { read(item, key: key, parent: parent, container: container, into: &found) }
        case .object(let object):
            for (member, item) in object { read(item, key: member, parent: object, container: key, into: &found) }
        case .number, .bool, .null:
            break
        }
    }

    private func shown(_ text: String, key: String, parent: JSONObject?, container: String?) -> String {
        switch target {
        case .mattermost:
            return Self.isPlainMattermostText(key: key, parent: parent) ? text : Self.unescapingBackslashes(text)
        case .discord:
            return Self.isPlainDiscordText(key: key, container: container) ? text : Self.unescapingBackslashes(text)
        case .slack:
            return Self.decodingEntities(text)
        case .googleChat:
            return (key == "text" && container == nil) || container == "header" ? text : Self.decodingEntities(Self.withoutTags(text))
        case .matrix:
            return key == "formatted_body" ? Self.decodingEntities(Self.withoutTags(text)) : text
        case .teams, .teamsConnector, .webhook:
            return text
        }
    }

    /// Whether Discord shows the member `key` of the object `container` as plain text: an embed's
    /// `footer.text` and `author.name` (no Markdown there: the Pycord and DSharpPlus maintainers,
    /// Pycord#96 and DSharpPlus#2338).
    static func isPlainDiscordText(key: String, container: String?) -> Bool {
        (container == "footer" && key == "text") || (container == "author" && key == "name")
    }

    /// Whether Mattermost shows the member `key` of `parent` as plain text: an attachment's
    /// `fallback`, `footer`, `author_name`, a field's `title` (parent has a `value`), and a `title`
    /// that links (parent has a `title_link`).
    static func isPlainMattermostText(key: String, parent: JSONObject?) -> Bool {
        ["fallback", "footer", "author_name"].contains(key)
            || (key == "title" && (parent?["title_link"] != nil || parent?["value"] != nil))
    }

    /// CommonMark: a backslash before ASCII punctuation shows the punctuation alone.
    static func unescapingBackslashes(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var escaped = false
        for scalar in text.unicodeScalars {
            if !escaped && scalar == "\\" {
                escaped = true
                continue
            }
            if escaped && !(scalar.isASCII && scalar.properties.isPunctuationOrSymbolASCII) { out.append("\\") }
            out.append(scalar)
            escaped = false
        }
        if escaped { out.append("\\") }
        return String(out)
    }

    static func decodingEntities(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    static func withoutTags(_ text: String) -> String {
        text.replacingOccurrences(of: #"<[^<>]*>"#, with: "", options: .regularExpression)
    }

    /// Without the invisible format characters (zero-width spaces and joiners, word joiners).
    static func visible(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        out.append(contentsOf: text.unicodeScalars.filter { $0.properties.generalCategory != .format })
        return String(out)
    }
}

private extension Unicode.Scalar.Properties {
    /// ASCII punctuation and symbols: what CommonMark lets a backslash escape.
    var isPunctuationOrSymbolASCII: Bool {
        switch generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
             .finalPunctuation, .otherPunctuation, .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol: true
        default: false
        }
    }
}
