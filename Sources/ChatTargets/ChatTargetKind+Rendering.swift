import CardTemplates
import JSON

extension ChatTargetKind {
    /// The markup this service reads in card text, which decides how data from Preservica is escaped.
    public var markup: MarkupStyle {
        switch self {
        case .teams: .teamsMarkdown
        case .teamsConnector: .messageCard
        case .slack: .slack
        case .googleChat: .googleChat
        case .discord: .discord
        case .mattermost: .mattermost
        case .matrix: .html
        case .webhook: .none
        }
    }

    /// `template` rendered over `data` with every value from the data escaped for this service's
    /// markup: the card itself, before the envelope. Markup written in the template stays markup.
    public func card(_ template: CardTemplate, data: JSONValue) -> JSONValue {
        // The text functions cut and change case knowing how the data was escaped.
        finish(EscapeCut.$style.withValue(markup.escapeStyle) { template.render(markup.escapeData(data)) })
    }

    /// The request body for `template` over `data`: ``card(_:data:)`` in the service's envelope.
    public func payload(_ template: CardTemplate, data: JSONValue) -> JSONValue {
        envelope(card(template, data: data))
    }

    /// What the service needs after rendering, whatever the template wrote.
    ///
    /// Matrix: the plain `body` is not HTML, so the entities the data was escaped with are read back
    /// there; and `m.mentions` is set (empty unless the template names someone), which tells
    /// clients to notify no one for `@room` or a name in the text (Matrix spec, "User and room
    /// mentions", v1.7 and later).
    /// Google Chat: a card header's `title` and `subtitle` are plain text (no formatting), so the
    /// entities are read back there too. The message's own `text` is Chat's text formatting, which
    /// shows entities as they are written (Google's "Format messages": HTML is for cards) but reads
    /// `<users/all>` and `<url|text>`: the entities are read back, each `<` from the data kept broken.
    /// Discord: `allowed_mentions` with nothing allowed, unless the template says otherwise; an
    /// embed's `footer.text` and `author.name` are shown as plain text (no Markdown there: the
    /// Pycord and DSharpPlus maintainers, discord-api-docs lists no formatting for them), so the
    /// backslashes the data was escaped with are taken out, as for Mattermost's plain members.
    /// Mattermost: an attachment's `fallback` (notifications), `footer`, `author_name`, each field's
    /// `title` and a `title` that links (`title_link`) are shown as plain text (the web app's
    /// `message_attachment.tsx`), so the backslashes the data was escaped with are taken out
    /// there; mentions and links stay broken, and Mattermost finds mentions only in the message,
    /// `pretext`, `text` and field values.
    func finish(_ card: JSONValue) -> JSONValue {
        guard case .object(var object) = card else { return card }
        switch self {
        case .matrix:
            if case .string(let body) = object["body"] { object["body"] = .string(TextDefusing.decodeEntities(body)) }
            if object["m.mentions"] == nil { object["m.mentions"] = .object(JSONObject()) }
        case .discord:
            if object["allowed_mentions"] == nil {
                object["allowed_mentions"] = .object(JSONObject([("parse", .array([]))]))
            }
            if case .array(let embeds) = object["embeds"] { object["embeds"] = .array(embeds.map(Self.plainEmbedText)) }
        case .googleChat:
            if case .string(let text) = object["text"] { object["text"] = .string(TextDefusing.decodeEntitiesKeepingAnglesBroken(text)) }
            if case .array(let cards) = object["cardsV2"] { object["cardsV2"] = .array(cards.map(Self.plainHeader)) }
        case .mattermost:
            guard case .array(let attachments) = object["attachments"] else { return card }
            object["attachments"] = .array(attachments.map(Self.plainAttachmentText))
        case .teams, .teamsConnector, .slack, .webhook:
            return card
        }
        return .object(object)
    }

    /// A Mattermost attachment with the members shown as plain text read back from Markdown escapes.
    private static func plainAttachmentText(_ item: JSONValue) -> JSONValue {
        guard case .object(var attachment) = item else { return item }
        var plain = ["fallback", "footer", "author_name"]
        if attachment["title_link"] != nil { plain.append("title") }
        for key in plain {
            if case .string(let text) = attachment[key] { attachment[key] = .string(TextDefusing.removingBackslashes(text)) }
        }
        if case .array(let fields) = attachment["fields"] {
            attachment["fields"] = .array(fields.map { field in
                guard case .object(var inner) = field, case .string(let title) = inner["title"] else { return field }
                inner["title"] = .string(TextDefusing.removingBackslashes(title))
                return .object(inner)
            })
        }
        return .object(attachment)
    }

    /// A Discord embed with its footer's text and author's name read back from Markdown escapes.
    private static func plainEmbedText(_ item: JSONValue) -> JSONValue {
        guard case .object(var embed) = item else { return item }
        for (member, key) in [("footer", "text"), ("author", "name")] {
            guard case .object(var inner) = embed[member], case .string(let text) = inner[key] else { continue }
            inner[key] = .string(TextDefusing.removingBackslashes(text))
            embed[member] = .object(inner)
        }
        return .object(embed)
    }

    /// A `cardsV2` item with its header's title and subtitle as plain text.
    private static func plainHeader(_ item: JSONValue) -> JSONValue {
        guard case .object(var wrapper) = item, case .object(var card) = wrapper["card"],
              case .object(var header) = card["header"] else { return item }
        for key in ["title", "subtitle"] {
            if case .string(let text) = header[key] { header[key] = .string(TextDefusing.decodeEntities(text)) }
        }
        card["header"] = .object(header)
        wrapper["card"] = .object(card)
        return .object(wrapper)
    }
}
