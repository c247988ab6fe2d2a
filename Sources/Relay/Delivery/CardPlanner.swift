import Foundation
import CardTemplates
import ChatTargets
import JSON
import Preservica

/// Turns an enriched event into delivery jobs: routes it, applies each channel's security tag
/// policy, renders the channel's template (its own file or the default for its type), wraps it
/// in the service's envelope, checks the size, and writes the job to the outbox.
struct CardPlanner: Sendable {
    private let channels: [String: ChannelSettings]
    private let table: RouteTable
    private let templates: [String: [String: CardTemplate]]
    private let links: EntityLinks
    private let outbox: Outbox
    private let audit: AuditLog
    private let logger: Logger

    init(configuration: RelayConfiguration, logger: Logger) {
        var byName: [String: ChannelSettings] = [:]
        var templates: [String: [String: CardTemplate]] = [:]
        for channel in configuration.channels {
            byName[channel.name] = channel
            guard let kind = ChatTargetKind(rawValue: channel.type) else { continue }
            for card in [CardKind.asset, .failure, .digest] {
                // The configuration has already compiled these files once; a failure here cannot happen.
                let custom = channel.templates[card.rawValue].flatMap { try? CardTemplate(contentsOfFile: $0) }
                templates[channel.name, default: [:]][card.rawValue] = custom ?? kind.defaultTemplate(for: card)
            }
        }
        channels = byName
        table = RouteTable(routes: configuration.routes)
        self.templates = templates
        links = configuration.preservica?.links ?? EntityLinks(base: "https://preservica.invalid")
        outbox = Outbox(dataDirectory: configuration.dataDirectory)
        audit = AuditLog(dataDirectory: configuration.dataDirectory)
        self.logger = logger
    }

    /// Writes the jobs for one event and returns the channels that got one; throws when a job
    /// cannot be written (the event is then tried again later, nothing is lost).
    func plan(sequence: UInt64, eventIndex: Int, notification: WebhookNotification, event: WebhookEvent,
              asset: EnrichedAsset) throws -> [String] {
        let subject = RouteTable.Subject(trigger: notification.trigger, entityType: event.entityType,
                                         folderPath: asset.path.map(\.ref), securityTag: asset.asset?.securityTag ?? "",
                                         title: asset.asset?.title ?? "")
        let matches = table.match(subject)
        let key = "\(notification.deduplicationKey)#\(event.entityRef)"
        audit.record("routed", [("seq", .number(Double(sequence))), ("entity", .string(event.entityRef)),
                                ("trigger", .string(notification.trigger)), ("channels", .array(matches.map { .string($0.channel) }))])
        var planned: [String] = []
        for match in matches {
            guard let channel = channels[match.channel], let kind = ChatTargetKind(rawValue: channel.type) else { continue }
            var shown = asset
            switch channel.securityTags.decision(for: subject.securityTag) {
            case .skip:
                audit.record("skipped", [("channel", .string(channel.name)), ("entity", .string(event.entityRef)),
                                         ("reason", .string("security tag \(subject.securityTag)"))])
                continue
            case .redact:
                shown.asset?.title = "Restricted asset (security tag \(subject.securityTag))"
                shown.asset?.description = nil
                shown.bitstreams = []
            case .show:
                break
            }
            let cardKind: CardKind = notification.trigger == TriggerType.ingestFailed.rawValue ? .failure : .asset
            let model = TemplateData.event(notification, event, asset: shown, links: links)
            guard let template = templates[channel.name]?[cardKind.rawValue] else { continue }
            var payload = kind.envelope(template.render(model))
            if JSONWriter.bytes(payload).count > kind.maxPayloadBytes {
                // A custom card that is too large falls back to the default one, which keeps within the limit.
                payload = kind.envelope(kind.defaultTemplate(for: cardKind).render(model))
                logger.warning("card over the size limit; sent the default card instead", ["channel": channel.name, "entity": event.entityRef])
            }
            let name = String(format: "%012llu-%04d.json", sequence, eventIndex)
            let job = DeliveryJob(id: "\(sequence)-\(eventIndex)-\(channel.name)", name: name, channel: channel.name,
                                  kind: cardKind.rawValue, event: key, createdAt: Timestamp.iso8601(), payload: payload)
            try outbox.save(job)
            planned.append(channel.name)
        }
        return planned
    }
}
