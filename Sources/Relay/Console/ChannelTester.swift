import Foundation
import ChatTargets
import JSON
import OutboundHTTP
import Preservica

/// Renders the real card a console channel would post, for an asset the curator chose or the
/// last asset Preservica lists directly in the channel's folder, and posts it at once: "Send a test card" and the preview.
/// The card takes the channel's first trigger; nothing is queued, so it is not retried.
public struct ChannelTester: Sendable {
    private let entities: EntityClient?
    private let links: EntityLinks
    private let client: OutboundClient
    /// How cards write times, as the pipeline's cards do.
    public let clock: CardClock
    private let identifierTypes: [IdentifierType]

    /// A tester reading assets through `entities` (the relay's account), linking with `links`,
    /// writing times and identifiers as `configuration`'s cards do.
    public init(entities: EntityClient?, configuration: RelayConfiguration,
                client: OutboundClient = OutboundClient(maxConnectionsPerHost: 2)) {
        self.entities = entities
        links = configuration.preservica?.links ?? EntityLinks(base: "https://preservica.invalid")
        clock = CardClock(source: configuration.preservica?.timeZone ?? .gmt, display: configuration.display.timeZone)
        identifierTypes = configuration.display.identifiers
        self.client = client
    }

    /// The payload the channel would post (enveloped, as sent) and the card inside it; nil when
    /// the chosen asset is unknown, or not to be shown: `visibleTags` (a curator's
    /// `console.browseSecurityTags`; nil for an administrator) must hold its security tag and
    /// those of the folders above it.
    public func render(_ channel: ConsoleChannel, assetRef: String?,
                       visibleTags: Set<String>?) async -> (payload: JSONValue, card: JSONValue, asset: EnrichedAsset)? {
        guard let asset = await asset(for: channel, chosen: assetRef, visibleTags: visibleTags) else { return nil }
        let trigger = channel.triggers.first ?? TriggerType.ingested.rawValue
        let event = WebhookEvent(event: "Test", entityType: "IO", entityRef: asset.ref)
        let notification = WebhookNotification(subscriptionId: "console-test", timestamp: Timestamp.iso8601(), tenant: links.tenant,
                                               version: "", trigger: trigger, events: [event])
        let kind = ChatTargetKind(rawValue: channel.type) ?? .teams
        let cardKind: CardKind = trigger == TriggerType.ingestFailed.rawValue ? .failure : .asset
        let model = TemplateData.event(notification, event, asset: asset, links: links, clock: clock, identifierTypes: identifierTypes)
        let template = kind.defaultTemplate(for: cardKind)
        var payload = kind.payload(template, data: model)
        // As the planner does: a value that outgrows a field (or the generic webhook's whole data
        // model) is cut to fit.
        if !kind.problems(in: payload).isEmpty { payload = kind.fitted(payload) }
        return (payload, kind.card(template, data: model), asset)
    }

    /// Posts the test card now and says what the service answered, and whether real cards for the
    /// asset would reach the channel, which receives only assets tagged with one of
    /// `receivedTags` (`console.browseSecurityTags`); nil when the chosen asset is unknown or not
    /// to be shown (see ``render(_:assetRef:visibleTags:)``).
    public func send(_ channel: ConsoleChannel, assetRef: String?, visibleTags: Set<String>?,
                     receivedTags: [String]) async -> TestCardResult? {
        guard let (payload, _, asset) = await render(channel, assetRef: assetRef, visibleTags: visibleTags) else { return nil }
        var result = await post(payload, to: channel, about: asset.ref, title: asset.asset?.title ?? "")
        if let note = Self.note(asset, channel: channel, receivedTags: receivedTags) {
            result.note = note
            result.message += " " + note
        }
        return result
    }

    /// Why real cards for `asset` would not reach `channel`, or that the card's contents are made
    /// up; nil when neither.
    static func note(_ asset: EnrichedAsset, channel: ConsoleChannel, receivedTags: [String]) -> String? {
        if asset.ref == standInRef {
            return "No asset was chosen or found directly in the channel's folder, so this card has made-up contents."
        }
        let tag = asset.asset?.securityTag ?? ""
        if !receivedTags.contains(tag) {
            return "Real cards for this asset would not be sent: channels made here receive only assets tagged \(quoted(receivedTags)), "
                + "and this one is tagged \"\(tag)\"."
        }
        if !channel.securityTags.isEmpty && !channel.securityTags.contains(tag) {
            return "Real cards for this asset would not be sent: the channel takes only assets tagged \(quoted(channel.securityTags)), "
                + "and this one is tagged \"\(tag)\"."
        }
        // A folder path that could not be read in full says nothing about where the asset is.
        if let folder = channel.folder, asset.problems.isEmpty, asset.asset?.parentRef != folder, !asset.path.contains(where: { $0.ref == folder }) {
            return "This asset is not in the channel's folder, so real cards for it would not be sent."
        }
        return nil
    }

    /// Posts `payload` to the channel and says what the service answered.
    /// A channel that takes messages only as threads of their own (a Discord forum) gets the card
    /// again as a new post named `title`, as every card will be.
    private func post(_ payload: JSONValue, to channel: ConsoleChannel, about ref: String, title: String,
                      asThread: Bool = false) async -> TestCardResult {
        let kind = ChatTargetKind(rawValue: channel.type) ?? .teams
        let service = Self.serviceName(channel.type)
        guard let url = URL(string: channel.url.reveal) else {
            return TestCardResult(delivered: false, message: "The URL is not usable.", status: nil, assetRef: ref)
        }
        var destination = ChatDestination(url: url)
        destination.threadName = asThread ? title : nil
        let request = kind.target.request(body: JSONWriter.bytes(payload), to: destination,
                                          deliveryId: "console-test-\(UUID().uuidString)", timeout: .seconds(20))
        let reply: OutboundReply
        do {
            reply = destination.scrub(try await client.send(request))
        } catch {
            return TestCardResult(delivered: false, message: "Could not reach \(channel.urlHost): \(error.kind == .timeout ? "no answer in time" : "the connection failed"). "
                + "Check the URL and that the service is up.", status: nil, assetRef: ref)
        }
        switch kind.target.outcome(of: reply) {
        case .delivered:
            let post = asThread ? " as a new post in the forum, named \"\(DiscordThreadName.fitted(title))\", as every card will be" : ""
            return TestCardResult(delivered: true, message: "\(service) accepted it\(post) (HTTP \(reply.status)).", status: reply.status, assetRef: ref)
        case .threadRequired(let reason):
            // A forum channel: cards start posts of their own, this one too.
            guard !asThread else {
                return TestCardResult(delivered: false, message: "\(service) did not take it (\(reason)).", status: reply.status, assetRef: ref)
            }
            return await post(payload, to: channel, about: ref, title: title, asThread: true)
        case .retry(_, let reason):
            return TestCardResult(delivered: false, message: "\(service) is busy or unavailable (\(reason)); try again in a minute.",
                                  status: reply.status, assetRef: ref)
        case .invalidPayload(let reason):
            return TestCardResult(delivered: false, message: "\(service) did not accept the card's content (\(reason.prefix(200))).",
                                  status: reply.status, assetRef: ref)
        case .gone(let reason):
            let what = channel.type == "teams" ? "The workflow URL is wrong, or the workflow was turned off or deleted"
                : "The webhook URL is wrong, or it no longer takes posts"
            return TestCardResult(delivered: false, message: "\(what) (\(reason.prefix(200))). Check the URL, or make a new one in \(service) "
                                  + "and give the channel its URL; until then the channel's cards wait.", status: reply.status, assetRef: ref)
        case .rejected(let reason):
            let hint: String
            switch reply.status {
            case 401, 403, 404, 410:
                hint = channel.type == "teams" ? "the workflow URL is wrong, or the workflow was turned off or deleted"
                    : "the webhook URL is wrong or was revoked"
            case 400, 413, 422: hint = "\(service) did not accept the card's content"
            default: hint = "\(service) refused it"
            }
            return TestCardResult(delivered: false, message: "\(hint.prefix(1).uppercased() + hint.dropFirst()) (\(reason.prefix(200))).",
                                  status: reply.status, assetRef: ref)
        }
    }

    /// Security tags as a sentence names them: `"open", "staff"`.
    public static func quoted(_ tags: [String]) -> String { tags.map { "\"\($0)\"" }.joined(separator: ", ") }

    /// The reference of the made-up asset a card shows when none was chosen or found.
    static let standInRef = "00000000-0000-4000-8000-000000000000"

    /// The service's name as people say it.
    public static func serviceName(_ type: String) -> String {
        switch type {
        case "teams": "Teams"
        case "teams-connector": "Teams (connector)"
        case "slack": "Slack"
        case "google-chat": "Google Chat"
        case "discord": "Discord"
        case "mattermost": "Mattermost"
        default: "The service"
        }
    }

    /// The chosen asset (nil when unknown or not visible), else the last visible asset listed directly in
    /// the channel's folder, else a stand-in.
    private func asset(for channel: ConsoleChannel, chosen: String?, visibleTags: Set<String>?) async -> EnrichedAsset? {
        func visible(_ enriched: EnrichedAsset) -> Bool {
            guard let asset = enriched.asset else { return false }
            guard let visibleTags else { return true }
            // A folder path that could not be read shows nothing: the folders above are unknown.
            let pathRead = asset.parentRef == nil || enriched.path.last?.ref == asset.parentRef
            return pathRead && visibleTags.contains(asset.securityTag) && enriched.path.allSatisfy { visibleTags.contains($0.securityTag) }
        }
        if let chosen {
            guard let entities, EntityClient.isReference(chosen) else { return nil }
            let enriched = await entities.enrich(chosen)
            return visible(enriched) ? enriched : nil
        }
        if let entities, let folder = channel.folder, let children = try? await entities.children(of: folder) {
            // Preservica lists children without dates; the last one listed stands for the latest.
            if let ref = children.last(where: { $0.type == "IO" })?.ref {
                let enriched = await entities.enrich(ref)
                if visible(enriched) { return enriched }
            }
        }
        let stand = AssetEntity(ref: Self.standInRef, title: "Test card from the preservica-relay console",
                                description: "No asset was found to show, so this card has made-up contents.", securityTag: "open",
                                parentRef: nil)
        return EnrichedAsset(ref: stand.ref, asset: stand, path: [], bitstreams: [], identifiers: [], notFound: false, problems: [])
    }
}
