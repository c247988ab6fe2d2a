import CardTemplates
import JSON

/// The chat services the relay can post to, with what each expects of a request body.
///
/// Facts and section numbers refer to the project's chat-target fact sheet (docs/targets.md
/// summarises them per target).
public enum ChatTargetKind: String, CaseIterable, Sendable {
    /// Microsoft Teams through a Workflows (Power Automate) webhook: an Adaptive Card 1.4 in a message envelope.
    case teams
    /// Microsoft Teams through a legacy Office 365 connector webhook: a MessageCard. Retired by Microsoft.
    case teamsConnector = "teams-connector"
    /// Slack incoming webhook: Block Kit `blocks` with a `text` fallback.
    case slack
    /// Google Chat incoming webhook: `cardsV2`.
    case googleChat = "google-chat"
    /// Discord webhook: `embeds`.
    case discord
    /// Mattermost incoming webhook: Slack-style `attachments`.
    case mattermost
    /// Matrix client-server API: an `m.notice` event with an HTML body.
    case matrix
    /// A generic signed webhook: the data model itself.
    case webhook

    /// The request body for a rendered card.
    ///
    /// Teams Workflows only accepts a `message` whose `attachments` hold the card as an object (§2.3);
    /// any other body is accepted with 202 and then dropped by the flow. Every other target takes
    /// the rendered payload as it is.
    public func envelope(_ card: JSONValue) -> JSONValue {
        switch self {
        case .teams:
            let attachment = JSONObject([
                ("contentType", .string("application/vnd.microsoft.card.adaptive")),
                ("contentUrl", .null),
                ("content", card),
            ])
            return .object(JSONObject([("type", .string("message")), ("attachments", .array([.object(attachment)]))]))
        case .teamsConnector, .slack, .googleChat, .discord, .mattermost, .matrix, .webhook:
            return card
        }
    }

    /// The largest request body, in bytes of UTF-8 JSON, that the target is known to accept.
    ///
    /// Where the service states a character limit rather than a byte limit, the number is taken as
    /// bytes, which is stricter for non-ASCII text.
    public var maxPayloadBytes: Int {
        switch self {
        // §2.7 documents "approximately 28 KB", but a Workflows flow answers 202 and then drops a
        // message over about 21 KB, out of the sender's sight: 20,000 stays clear of it.
        case .teams: 20_000
        // §1.3: "Message size 28 KB"; a text-only message failed at about 20.8k characters.
        case .teamsConnector: 28_000
        // §3: top-level `text` is truncated beyond 40,000 characters; blocks have their own limits
        // (50 blocks, 3,000 characters a section, ~13k characters in all), checked on the rendered card.
        case .slack: 40_000
        // §4: "Message ≤ 32,000 bytes including cards".
        case .googleChat: 32_000
        // §5 gives no byte limit, only characters: embed text ≤ 6,000 in all and `content` ≤ 2,000.
        // 8,000 characters of at most 4 UTF-8 bytes, plus keys and URLs, stay inside 40,000.
        case .discord: 40_000
        // §6.1: a post longer than 16,383 characters is split into several posts.
        case .mattermost: 16_383
        // §6.4: an event is at most 65,536 bytes as formatted, including what the server adds
        // (sender, room, origin_server_ts...); 60,000 leaves room for that.
        case .matrix: 60_000
        // §7 sets no limit and only advises small payloads (~20 KB); the body is the whole data
        // model, so the bound is the relay's own default inbound body limit (`limits.maxBodyBytes`).
        case .webhook: 1_048_576
        }
    }

    /// The `Content-Type` of the request body. Mattermost needs it to read the body as JSON (§6.1).
    public var contentType: String { "application/json" }

    /// The name of the default template of `kind`, `<target>-<kind>`, as in `templates/<name>.json`.
    public func templateName(for kind: CardKind) -> String { "\(rawValue)-\(kind.rawValue)" }

    /// The text of the default template of `kind`, as embedded in the binary: a starting point to
    /// copy into a file and customise.
    public func defaultTemplateText(for kind: CardKind) -> String {
        guard let text = DefaultTemplates.texts[templateName(for: kind)] else {
            preconditionFailure("no default template \(templateName(for: kind))")
        }
        return text
    }

    /// The default template of `kind` for this target, compiled from the copy embedded in the binary.
    public func defaultTemplate(for kind: CardKind) -> CardTemplate {
        DefaultTemplateCatalog.shared.template(named: templateName(for: kind))
    }
}
