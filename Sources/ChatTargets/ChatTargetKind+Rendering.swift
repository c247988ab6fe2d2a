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
        finish(template.render(markup.escapeData(data)))
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
    /// entities are read back there too.
    /// Discord: `allowed_mentions` with nothing allowed, unless the template says otherwise.
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
        case .googleChat:
            guard case .array(let cards) = object["cardsV2"] else { return card }
            object["cardsV2"] = .array(cards.map(Self.plainHeader))
        case .teams, .teamsConnector, .slack, .mattermost, .webhook:
            return card
        }
        return .object(object)
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
