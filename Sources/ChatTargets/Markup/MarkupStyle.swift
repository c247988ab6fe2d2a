import CardTemplates
/// The markup a chat service reads in the text of a card, and so how a value from Preservica must
/// be written to read as itself: never a link, an image, a mention or formatting.
///
/// Only data is escaped: the template's own text keeps its markup (docs/templates.md, "Data is
/// never markup"). What each service interprets is summarised in docs/targets.md.
public enum MarkupStyle: String, Sendable, CaseIterable {
    /// Adaptive Cards (Teams Workflows): a Markdown subset. Backslash escapes are honoured by some
    /// Teams clients and shown by others, so link syntax and bare URLs are broken with an
    /// invisible character instead.
    case teamsMarkdown
    /// MessageCards (Teams connectors): the same Markdown, and in text some HTML (`<a href>`,
    /// `<img>`), so HTML tags are broken after the `<` too.
    case messageCard
    /// Slack mrkdwn: `&`, `<` and `>` as entities (so no `<!channel>`, `<@U…>` or `<url|text>` can
    /// form), bare URLs and `@here`-style words broken.
    case slack
    /// Discord Markdown: punctuation backslash-escaped (Discord honours `\`), `<` escaped so no
    /// `<@id>` mention forms, `@everyone` and `@here` broken, bare URLs broken, and `](` broken (a
    /// `\]` inside a link's text closes it there).
    case discord
    /// Mattermost Markdown (CommonMark): punctuation backslash-escaped, every `@name` broken (each
    /// one notifies someone), bare URLs broken.
    case mattermost
    /// Google Chat card text: an HTML subset. `&`, `<`, `>` as entities, bare URLs broken.
    case googleChat
    /// Matrix `formatted_body`: HTML. `&`, `<`, `>`, `"`, `'` as entities, bare URLs and `@room`
    /// broken. The plain `body` gets the entities decoded again when the event is built.
    case html
    /// The generic webhook: JSON data, no markup; values go out unchanged.
    case none

    /// `text`, from outside, written so this markup shows it as plain text, without direction
    /// overrides.
    public func escape(_ text: String) -> String {
        // Direction overrides make a value read as something else (`\u{202E}fdp.exe`) on every service.
        let text = self == .none ? text : TextDefusing.withoutBidiControls(text)
        switch self {
        case .teamsMarkdown:
            // Teams evaluates `{{DATE(…)}}` and `{{TIME(…)}}` in text: a title must not show a date it does not hold.
            return TextDefusing.braces(TextDefusing.links(TextDefusing.linkSyntax(text)))
        case .messageCard:
            return TextDefusing.tags(TextDefusing.links(TextDefusing.linkSyntax(text)))
        case .slack:
            return TextDefusing.mentions(TextDefusing.links(TextDefusing.entities(text, quotes: false)),
                                         words: TextDefusing.massMentions)
        case .discord:
            // Discord's parser does not honour `\]` inside a link's text: a title put in a
            // template's `[…](url)` could close it at its own `](`, which is broken as for Teams.
            return TextDefusing.mentions(TextDefusing.links(TextDefusing.linkSyntax(TextDefusing.backslashes(text))),
                                         words: TextDefusing.massMentions)
        case .mattermost:
            return TextDefusing.mentions(TextDefusing.links(TextDefusing.linkSyntax(TextDefusing.backslashes(text))), words: nil)
        case .googleChat:
            return TextDefusing.links(TextDefusing.entities(text, quotes: false))
        case .html:
            return TextDefusing.mentions(TextDefusing.links(TextDefusing.entities(text, quotes: true)), words: ["room"])
        case .none:
            return text
        }
    }

    /// How this markup escapes data, for cutting escaped text (``EscapeCut``).
    public var escapeStyle: EscapeCut.Style {
        switch self {
        case .slack, .googleChat, .html: .entities
        case .discord, .mattermost: .backslashes
        case .teamsMarkdown, .messageCard, .none: .none
        }
    }

    /// `url`, a link the relay built (to Preservica), written for an attribute or a link target:
    /// unchanged, except that HTML gets it entity-escaped.
    public func escapeURL(_ url: String) -> String {
        self == .html ? TextDefusing.entities(url, quotes: true) : url
    }
}
