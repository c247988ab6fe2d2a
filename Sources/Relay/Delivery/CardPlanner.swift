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
    private let cardClock: CardClock
    /// The time digest buffers and jobs are stamped with.
    private let clock: any RelayClock
    private let identifierTypes: [IdentifierType]
    private let outbox: Outbox
    private let audit: AuditLog
    private let logger: Logger
    private let metrics: Metrics?
    private let history: AssetHistory
    /// The worker appends to digest buffers while the deliverer folds them: one at a time, or a
    /// line appended between the fold's read and its removal of the file would be lost.
    private let digestLock = SharedLock()
    private let declinedFolds = DeclinedFolds()

    init(configuration: RelayConfiguration, logger: Logger, metrics: Metrics? = nil, clock: any RelayClock = SystemClock()) {
        var byName: [String: ChannelSettings] = [:]
        var templates: [String: [String: CardTemplate]] = [:]
        for channel in configuration.channels {
            byName[channel.name] = channel
            let kind = channel.type
            for card in CardKind.allCases {
                // The configuration has already compiled these files once; a failure here cannot happen.
                let custom = channel.templates[card.rawValue].flatMap { try? CardTemplate(contentsOfFile: $0) }
                templates[channel.name, default: [:]][card.rawValue] = custom ?? kind.defaultTemplate(for: card)
            }
        }
        channels = byName
        table = RouteTable(routes: configuration.routes)
        self.templates = templates
        links = configuration.preservica?.links ?? EntityLinks(base: "https://preservica.invalid")
        self.clock = clock
        cardClock = CardClock(source: configuration.preservica?.timeZone ?? .gmt, display: configuration.display.timeZone)
        identifierTypes = configuration.display.identifiers
        outbox = Outbox(dataDirectory: configuration.dataDirectory)
        audit = AuditLog(dataDirectory: configuration.dataDirectory)
        self.logger = logger
        self.metrics = metrics
        history = AssetHistory(dataDirectory: configuration.dataDirectory)
    }

    /// Writes the jobs for one event and returns the channels that got one; throws when a job
    /// cannot be written (the event is then tried again later, nothing is lost).
    func plan(sequence: UInt64, eventIndex: Int, notification: WebhookNotification, event: WebhookEvent,
              asset: EnrichedAsset, receivedAt: String = "") throws -> [String] {
        var lines = AuditLines()
        defer { audit.record(lines) }
        return try plan(sequence: sequence, eventIndex: eventIndex, notification: notification, event: event, asset: asset,
                        receivedAt: receivedAt, audit: &lines)
    }

    /// As above, adding the event's audit lines to `lines` for the caller to write (with the
    /// rest of its batch) before it moves the cursor.
    func plan(sequence: UInt64, eventIndex: Int, notification: WebhookNotification, event: WebhookEvent,
              asset: EnrichedAsset, receivedAt: String = "", audit lines: inout AuditLines) throws -> [String] {
        let subject = RouteTable.Subject(trigger: notification.trigger, entityType: event.entityType,
                                         folderPath: asset.path.map(\.ref), securityTag: asset.asset?.securityTag ?? "",
                                         title: asset.asset?.title ?? "")
        let matches = table.match(subject)
        report(matches, sequence: sequence, trigger: notification.trigger, entity: event.entityRef)
        // The journal sequence and event index name the event; its entity ref goes after "#" for
        // catch-up. Never the notification's whole deduplication key: that lists every event's
        // ref, and repeating it in each job and audit line made a notification's cost quadratic.
        let key = "\(sequence)/\(eventIndex)#\(event.entityRef)"
        lines.add("routed", [("seq", .number(Double(sequence))), ("entity", .string(event.entityRef)),
                                ("trigger", .string(notification.trigger)), ("channels", .array(matches.map { .string($0.channel) }))])
        // Where the asset was before this notification (a move card says where it came from), and
        // where it is now remembered, in one read of its history file.
        var previous: AssetHistory.Sighting?
        if event.entityType == "IO" {
            if let now = AssetHistory.sighting(of: asset) {
                previous = history.record(event.entityRef, now, sequence: sequence)
            } else if !matches.isEmpty {
                previous = history.previous(event.entityRef, before: sequence)
            }
        }
        var planned: [String] = []
        for match in matches {
            guard let channel = channels[match.channel] else { continue }
            let kind = channel.type
            var shown = asset
            var redacted = false
            let (decision, reason) = channel.securityTags.decision(for: asset)
            switch decision {
            case .skip:
                lines.add("skipped", [("channel", .string(channel.name)), ("entity", .string(event.entityRef)),
                                         ("reason", .string(reason))])
                continue
            case .redact:
                shown = asset.redacted()
                redacted = true
            case .show:
                break
            }
            let cardKind: CardKind = notification.trigger == TriggerType.ingestFailed.rawValue ? .failure
                : asset.entityType == "SO" ? .folder : .asset
            // Where it was before is left out of a redacted card, and of a card on a channel held to
            // folders whose policy does not let it name those folders (then it says so, rather than
            // that the asset was never seen).
            let withheld = !redacted && previous != nil && !channel.securityTags.mayShowPrevious(folderTags: previous?.folderTags)
            let model = TemplateData.event(notification, event, asset: shown, links: links, redacted: redacted,
                                           clock: cardClock, identifierTypes: identifierTypes,
                                           previous: redacted || withheld ? nil : previous, previousWithheld: withheld)
            if cardKind == .asset && channel.digest != nil {
                // The channel's own asset template gives no card for this asset: not gathered
                // either, so what it leaves out stays out of digests too.
                if givesNoCard(model, kind: cardKind, channel: channel) {
                    lines.add("skipped", [("channel", .string(channel.name)), ("entity", .string(event.entityRef)), ("reason", .string(Self.noCard))])
                    continue
                }
                // A digest channel gathers asset cards; the deliverer folds them when the window closes.
                let buffer = DigestBuffer(outbox: outbox.outbox, channel: channel.name, trigger: notification.trigger)
                let item = DigestBuffer.Item(sequence: sequence, eventIndex: eventIndex,
                                             receivedMs: clock.nowMs, model: model)
                try digestLock.run { try buffer.append([item]) }
                planned.append(channel.name)
                continue
            }
            guard var single = job(for: model, kind: cardKind, channel: channel, target: kind, name: String(format: "%012llu-%04d.json", sequence, eventIndex),
                                   id: "\(sequence)-\(eventIndex)-\(channel.name)", event: key) else {
                lines.add("skipped", [("channel", .string(channel.name)), ("entity", .string(event.entityRef)), ("reason", .string(Self.noCard))])
                continue
            }
            single.receivedAt = receivedAt
            try outbox.save(single)
            planned.append(channel.name)
        }
        return planned
    }

    /// An event no route takes would vanish without a card: say so, and count it by trigger. Only
    /// Preservica's own trigger values become labels, so a sender cannot grow the metric. A trigger
    /// Preservica never sends (an alias such as "failed" put on the wire) is a sender's mistake
    /// that no route written with wire values will ever match: name it, whether or not it was routed.
    private func report(_ matches: [RouteTable.Match], sequence: UInt64, trigger: String, entity: String) {
        let known = TriggerType(rawValue: trigger) != nil
        if !known {
            logger.repeating(.warning, "trigger is not a value Preservica sends", key: "",
                             ["seq": String(sequence), "trigger": trigger, "entity": entity,
                              "expected": TriggerType.allCases.map(\.rawValue).joined(separator: ",")])
        }
        guard matches.isEmpty else { return }
        metrics?.increment("preservica_relay_events_unrouted_total", [("trigger", known ? trigger : "other")])
        logger.repeating(.warning, "event matches no route; nothing is posted", key: known ? trigger : "other",
                         ["seq": String(sequence), "trigger": trigger, "entity": entity])
    }

    /// Whether some route could take an event of `trigger` and `entityType`, before enrichment.
    func mayRoute(trigger: String, entityType: String) -> Bool {
        table.mayTake(trigger: trigger, entityType: entityType)
    }

    /// Appends lines gathered by ``plan(sequence:eventIndex:notification:event:asset:receivedAt:audit:)``.
    func record(_ lines: AuditLines) {
        audit.record(lines)
    }

    /// What ``flushDigest(channel:now:released:withheld:)`` did.
    struct DigestFlush: Equatable {
        /// Jobs were written.
        var flushed = false
        /// A buffer is due but holds an asset of a notification past `released`: it waits.
        var waiting = false
    }

    /// Folds each digest buffer of `channel` whose window has passed: one digest job when it holds
    /// at least `threshold` assets, single cards otherwise. A buffer holding an asset of a
    /// notification past `released` (the worker's cursor has not passed it yet, so a crash would
    /// append it again) waits.
    func flushDigest(channel name: String, now: Int64, released: UInt64 = .max,
                     withheld: (UInt64, Int) -> Bool = { _, _ in false }) throws -> DigestFlush {
        try digestLock.run { try flushDigestLocked(channel: name, now: now, released: released, withheld: withheld) }
    }

    /// Moves a damaged digest buffer to `corrupt/` (with an audit line), or where that cannot be
    /// made, beside itself as `<name>.damaged`, out of the buffers' way; nil when neither works.
    private func setAside(_ buffer: DigestBuffer, channel: String) -> String? {
        if let moved = audit.quarantine(buffer.path, [("channel", .string(channel))]) { return moved }
        let beside = SpoolFiles.unusedName(buffer.path + ".damaged")
        return rename(buffer.path, beside) == 0 ? beside : nil
    }

    /// A copy of `buffer` in `corrupt/`, before it is emptied; nil when it cannot be made.
    private func keepCopy(of buffer: DigestBuffer) -> String? {
        guard case .bytes(let bytes) = SpoolFiles.read(buffer.path) else { return nil }
        let name = buffer.path.replacingOccurrences(of: outbox.dataDirectory + "/", with: "").replacingOccurrences(of: "/", with: "_")
        let copy = outbox.dataDirectory + "/corrupt/" + name + ".\(Int(Date().timeIntervalSince1970))"
        guard (try? SpoolFiles.makeDirectory(outbox.dataDirectory + "/corrupt")) != nil,
              (try? SpoolFiles.replace(copy, with: bytes)) != nil else { return nil }
        return copy
    }

    private func flushDigestLocked(channel name: String, now: Int64, released: UInt64,
                                   withheld: (UInt64, Int) -> Bool) throws -> DigestFlush {
        guard let channel = channels[name] else { return DigestFlush() }
        // No digest any more (a reload took it away): what was gathered goes out as single cards, now.
        let settings = channel.digest ?? DigestSettings(window: .zero, threshold: .max)
        let kind = channel.type
        var result = DigestFlush()
        for buffer in DigestBuffer.all(outbox: outbox.outbox, channel: name) {
            let gathered: [DigestBuffer.Item]
            let skipped: Int
            switch buffer.read() {
            case .items(let items, let unread):
                gathered = items
                skipped = unread
            case .unavailable:
                // Out of descriptors for a moment: looked at again shortly.
                result.waiting = true
                continue
            case .damaged:
                // Moved aside for an operator, never emptied as if it held nothing.
                let moved = setAside(buffer, channel: name)
                logger.repeating(.error, "a digest's gathered cards cannot be read; they are not sent", key: name, [
                    "channel": name, "file": buffer.path, "movedTo": moved ?? "not moved: it stays where it is",
                ])
                // Not movable at all (a full disk, a read-only directory): looked at again shortly, not at once.
                if moved == nil { result.waiting = true }
                continue
            }
            /// Emptied once its jobs are written; with lines it could not read, a copy is kept in
            /// corrupt/ first (they may be only a piece a crash cut short, or damage).
            func empty() {
                if skipped > 0, let copy = keepCopy(of: buffer) {
                    logger.warning("a digest's buffer held lines that could not be read; a copy is kept", [
                        "channel": name, "lines": String(skipped), "copy": copy,
                    ])
                }
                buffer.clear()
            }
            guard let earliest = gathered.first else {
                empty()
                continue
            }
            // A first asset more than a minute in the future: the wall clock was stepped back,
            // and waiting for it would hold the digest for as long; it closes now.
            guard now - earliest.receivedMs >= settings.window.wholeMilliseconds || earliest.receivedMs - now > Self.clockStepMs else { continue }
            // Not while an item's notification is still being planned, or a hold still lists it.
            guard gathered.allSatisfy({ $0.sequence <= released && !withheld($0.sequence, $0.eventIndex) }) else {
                result.waiting = true
                continue
            }
            // Gathered under a security policy the channel no longer has: only what it lets through now.
            var items: [DigestBuffer.Item] = []
            for item in gathered {
                if Self.itemSecurity(of: item.model)?.isAllowed(by: channel.securityTags) ?? true {
                    items.append(item)
                } else {
                    audit.record("skipped", [("channel", .string(name)), ("entity", .string(Self.ref(of: item.model))),
                                             ("reason", .string(Self.policyChanged))])
                }
            }
            guard let first = items.first else {
                empty()
                result.flushed = true
                continue
            }
            var digest: DeliveryJob?
            if items.count >= settings.threshold {
                let model = TemplateData.digest(of: items.map(\.model), maxItems: settings.maxItems, from: Self.instant(first.receivedMs),
                                                to: Self.instant(items.last!.receivedMs), clock: cardClock)
                // A digest template that gives no card for these: they go out as single cards.
                digest = job(for: model, kind: .digest, channel: channel, target: kind,
                             name: String(format: "%012llu-%04d-digest.json", first.sequence, first.eventIndex),
                             id: "\(first.sequence)-\(first.eventIndex)-\(name)-digest", event: "digest of \(items.count)")
            }
            if var digest {
                digest.refs = items.map { Self.ref(of: $0.model) }
                digest.items = items.compactMap { Self.itemSecurity(of: $0.model) }
                digest.receivedAt = Self.instant(first.receivedMs)
                try outbox.save(digest)
                // The one line naming the digest's assets; the lines about its delivery name the job.
                audit.record("digest", [("channel", .string(name)), ("job", .string(digest.id)), ("count", .number(Double(items.count))),
                                        ("entities", .array(digest.refs.map(JSONValue.string)))])
            } else {
                for item in items {
                    // Named as a single card planned at once would be: its event with the asset after "#".
                    // A model kept by an older relay gets the texts derived since; one made now has them.
                    guard var single = job(for: ModelTexts.completed(item.model), kind: .asset, channel: channel, target: kind,
                                           name: String(format: "%012llu-%04d.json", item.sequence, item.eventIndex),
                                           id: "\(item.sequence)-\(item.eventIndex)-\(name)",
                                           event: "\(item.sequence)/\(item.eventIndex)#\(Self.ref(of: item.model))") else {
                        audit.record("skipped", [("channel", .string(name)), ("entity", .string(Self.ref(of: item.model))),
                                                 ("reason", .string(Self.noCard))])
                        continue
                    }
                    single.receivedAt = Self.instant(item.receivedMs)
                    try outbox.save(single)
                }
            }
            empty()
            result.flushed = true
        }
        return result
    }

    /// Folds the asset cards waiting in `channel`'s outbox into one digest, when the oldest has
    /// waited `foldAfter` and at least `threshold` wait (the service is throttling or down).
    /// Returns whether it folded.
    func foldBacklog(channel name: String, now: Date, released: UInt64 = .max,
                     withheld: (UInt64, Int) -> Bool = { _, _ in false }) throws -> Bool {
        guard let channel = channels[name], let settings = channel.digest,
              !declinedFolds.isResting(name, now: now, interval: settings.foldAfter.seconds),
              outbox.pendingCount(channel: name) >= settings.threshold, let first = outbox.oldest(channel: name, movingDamaged: false),
              let firstCreated = Timestamp.date(first.createdAt),
              now.timeIntervalSince(firstCreated) >= settings.foldAfter.seconds else { return false }
        // Only cards of notifications the worker's cursor has passed: the others would be planned
        // again after a crash.
        // Not a card the channel's security policy no longer lets through: its deliverer drops it.
        let candidates = outbox.pending(channel: name).filter { job in
            let sequence = Deliverer.sequence(of: job) ?? 0
            return job.kind == CardKind.asset.rawValue && job.model != nil && sequence <= released
                && !(Deliverer.eventIndex(of: job).map { withheld(sequence, $0) } ?? false) && job.isAllowed(by: channel.securityTags)
        }
        // One digest says one thing happened ("12 assets ingested"): the cards are grouped by
        // trigger, and the oldest group that is large and old enough is folded; the others wait
        // as they are, for a later fold. With none, the fold rests for `foldAfter` rather than
        // read the whole backlog again before every post.
        var groups: [[DeliveryJob]] = []
        let trigger = { (job: DeliveryJob) in job.model?.objectValue?["event"]?.objectValue?["trigger"] }
        for job in candidates {
            if let index = groups.firstIndex(where: { trigger($0[0]) == trigger(job) }) { groups[index].append(job) } else { groups.append([job]) }
        }
        guard let waiting = groups.first(where: { group in
            group.count >= settings.threshold
                && Timestamp.date(group[0].createdAt).map { now.timeIntervalSince($0) >= settings.foldAfter.seconds } == true
        }) else {
            declinedFolds.decline(name, at: now)
            return false
        }
        let oldest = waiting[0]
        let kind = channel.type
        let model = TemplateData.digest(of: waiting.compactMap(\.model), maxItems: settings.maxItems, from: oldest.createdAt,
                                        to: waiting.last?.createdAt ?? oldest.createdAt, clock: cardClock)
        // Named after the oldest card, so the digest goes out first in its place. A digest
        // template that gives no card for this backlog: the cards go on as they are, and the
        // fold rests as above.
        guard var digest = job(for: model, kind: .digest, channel: channel, target: kind,
                               name: oldest.name.replacingOccurrences(of: ".json", with: "-folded.json"),
                               id: "\(oldest.id)-folded", event: "backlog of \(waiting.count)") else {
            declinedFolds.decline(name, at: now)
            return false
        }
        digest.receivedAt = oldest.receivedAt
        digest.folded = waiting.map(\.name)
        digest.refs = waiting.map(\.ref)
        // A job from before jobs kept the tag still has it in its model.
        digest.items = waiting.compactMap { job in
            job.security ?? job.model.flatMap(Self.itemSecurity(of:))
        }
        try outbox.save(digest)
        for folded in waiting { outbox.remove(folded) }
        audit.record("folded", [("channel", .string(name)), ("job", .string(digest.id)), ("count", .number(Double(waiting.count))),
                                ("entities", .array(digest.refs.map(JSONValue.string)))])
        logger.warning("cards waiting too long folded into one digest", ["channel": name, "count": String(waiting.count)])
        return true
    }

    /// Removes the cards a folded digest in `channel`'s outbox holds, where a kill part way through
    /// the fold left them: the digest carries them, so they must not go out besides it. Run when a
    /// channel's loop starts.
    func finishFolds(channel name: String) {
        let directory = outbox.outbox + "/" + name
        let digests = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix("-folded.json") }
        for file in digests {
            guard let digest = outbox.waiting(channel: name, file: file) else { continue }
            for leftover in digest.folded where FileManager.default.fileExists(atPath: directory + "/" + leftover) {
                SpoolFiles.remove(directory + "/" + leftover)
                logger.info("a card already folded into a digest removed (a fold cut short)", ["channel": name, "file": leftover])
            }
        }
    }

    /// When the earliest digest window of `channel` closes (ms since 1970), if it is gathering
    /// anything. A channel whose digest a reload took away is due at once: what it gathered goes
    /// out as single cards.
    func digestDue(channel name: String) -> Int64? {
        let first = DigestBuffer.all(outbox: outbox.outbox, channel: name).compactMap { $0.firstReceivedMs() }.min()
        guard let settings = channels[name]?.digest else { return first }
        guard let first else { return nil }
        // Stepped back: due at once, whatever moment the caller compares it with.
        return first - clock.nowMs > Self.clockStepMs ? 0 : first + settings.window.wholeMilliseconds
    }

    /// How far in the future a gathered asset may lie before the wall clock counts as stepped back.
    static let clockStepMs: Int64 = 60_000

    private static func typeName(_ value: JSONValue) -> String {
        switch value {
        case .array: "list"
        case .string: "text"
        case .number: "number"
        case .bool: "boolean"
        case .object, .null: "value"
        }
    }

    /// Whether the channel's own template for `cardKind` renders no card at all for `model`.
    private func givesNoCard(_ model: JSONValue, kind cardKind: CardKind, channel: ChannelSettings) -> Bool {
        guard channel.templates[cardKind.rawValue] != nil, let custom = templates[channel.name]?[cardKind.rawValue] else { return false }
        return channel.type.card(custom, data: model) == .null
    }

    /// A gathered item's time (ms since 1970) as jobs write times.
    private static func instant(_ ms: Int64) -> String {
        Timestamp.iso8601(Date(timeIntervalSince1970: Double(ms) / 1000))
    }

    /// The asset reference in a single-event model.
    private static func ref(of model: JSONValue) -> String {
        model.objectValue?["asset"]?.objectValue?["ref"]?.stringValue ?? ""
    }

    /// Why a card planned or gathered earlier is not posted.
    static let policyChanged = "the channel's security policy no longer lets it through as it was made"

    /// The security tags in a single-event `model` (the asset's, and those of the folders the card
    /// names), and whether the asset was redacted.
    static func itemSecurity(of model: JSONValue) -> DeliveryJob.ItemSecurity? {
        guard let asset = model.objectValue?["asset"]?.objectValue, let tag = asset["securityTag"]?.stringValue else { return nil }
        // Models made before folders carried their tags have none: not known, so not read.
        let path = asset["path"]?.arrayValue ?? []
        let pathTags = path.compactMap { $0.objectValue?["securityTag"]?.stringValue }
        let previous = asset["previous"]?.objectValue?["folderTags"]?.arrayValue?.compactMap(\.stringValue) ?? []
        return DeliveryJob.ItemSecurity(securityTag: tag, redacted: asset["redacted"] == .bool(true),
                                        folderTags: pathTags.count == path.count ? pathTags + previous : nil)
    }

    /// Why an event got no card on a channel whose template dropped it.
    static let noCard = "the channel's template gives no card for it (its root's $when is false, or its $data null)"

    /// The largest model a job keeps: a digest of assets with 150,000-character titles is not worth
    /// carrying twice.
    static let keptModelBytes = 256 << 10

    /// `job`, made for another service before its channel's type changed, made again from its
    /// model for the channel's service now; nil when it kept no model or no card comes of it.
    func remade(_ job: DeliveryJob, for channelName: String) -> DeliveryJob? {
        guard let model = job.model, let channel = channels[channelName], let cardKind = CardKind(rawValue: job.kind),
              let fresh = self.job(for: cardKind == .digest ? model : ModelTexts.completed(model), kind: cardKind, channel: channel,
                                   target: channel.type, name: job.name, id: job.id, event: job.event) else { return nil }
        var remade = job
        remade.payload = fresh.payload
        remade.fallback = fresh.fallback
        remade.target = fresh.target
        remade.security = job.security ?? fresh.security
        return remade
    }

    /// The job for `model`, or nil when the channel's own template renders no card at all (its
    /// root dropped by `$when` or a null `$data`): the template's way of saying "not this one".
    private func job(for model: JSONValue, kind cardKind: CardKind, channel: ChannelSettings, target kind: ChatTargetKind,
                     name: String, id: String, event: String) -> DeliveryJob? {
        let asset = model.objectValue?["asset"]?.objectValue
        let digestCount = model.objectValue?["digest"]?.objectValue?["count"]?.numberValue
        // The default card, cut to fit where a value outgrows a field: the templates cap text by
        // characters as a reader sees them, the services count code points, and the generic
        // webhook's default is the whole data model.
        let standard = { () -> JSONValue in
            let payload = kind.payload(kind.defaultTemplate(for: cardKind), data: model)
            let problems = kind.problems(in: payload)
            guard !problems.isEmpty else { return payload }
            // Can be every card of a channel (long titles in a script of many code points): flood-limited.
            logger.repeating(.warning, "card shortened to fit the service's limits", key: channel.name,
                             ["channel": channel.name, "job": id, "problems": problems.joined(separator: "; ")])
            return kind.fitted(payload)
        }
        var payload: JSONValue
        var fallback: JSONValue?
        if let custom = templates[channel.name]?[cardKind.rawValue], channel.templates[cardKind.rawValue] != nil {
            let card = kind.card(custom, data: model)
            if card == .null { return nil }
            payload = kind.envelope(card)
            var problems = kind.problems(in: payload)
            // Text, a number or a list where a chat service takes an object: none shows it. The
            // generic webhook posts any JSON.
            if card.objectValue == nil && kind != .webhook { problems.append("the template gives a \(Self.typeName(card)), not an object") }
            if problems.isEmpty {
                // Kept in case the service refuses the custom card's structure all the same.
                fallback = standard()
            } else {
                // A custom card the service would refuse or drop falls back to the default one,
                // which shortens and caps data so that it always fits.
                payload = standard()
                logger.warning("card breaks the service's limits; sent the default card instead",
                               ["channel": channel.name, "job": id, "problems": problems.joined(separator: "; ")])
            }
        } else {
            payload = standard()
        }
        var job = DeliveryJob(id: id, name: name, channel: channel.name, kind: cardKind.rawValue, event: event,
                              createdAt: Timestamp.iso8601(clock.now()), payload: payload)
        job.fallback = fallback
        job.target = kind.rawValue
        // Kept to fold it into a digest, or to make it again for another service.
        if JSONWriter.bytes(model).count <= Self.keptModelBytes { job.model = model }
        job.ref = asset?["ref"]?.stringValue ?? ""
        job.title = asset?["title"]?.stringValue ?? digestCount.map { "digest of \(Int($0)) assets" } ?? ""
        job.security = Self.itemSecurity(of: model)
        return job
    }
}
