import JSON
import Preservica

/// The data a card template sees (docs/templates.md): `event`, `asset`, `digest`, `preservica`.
///
/// Sizes come both as bytes and as text; links are built from ``EntityLinks``; an asset Preservica
/// did not know still yields a model (`asset.found` false, title empty) so its card can go out.
public enum TemplateData {
    /// The model for one event of `notification` about `asset`; `redacted` when the channel's
    /// security tag policy hid the asset's details (``EnrichedAsset/redacted()``).
    /// `clock` writes times in the configured zone; `identifierTypes` picks the catalogue
    /// identifiers shown before the reference (`display.identifiers`).
    public static func event(_ notification: WebhookNotification, _ event: WebhookEvent, asset: EnrichedAsset,
                             links: EntityLinks, version: String? = nil, redacted: Bool = false,
                             clock: CardClock = CardClock(), identifierTypes: [IdentifierType] = [], previous: AssetHistory.Sighting? = nil,
                             previousWithheld: Bool = false) -> JSONValue {
        var assetObject = assetModel(asset, links: links, redacted: redacted, identifierTypes: identifierTypes).objectValue ?? JSONObject()
        assetObject["previous"] = previous.map { before in
            // Its folders were not read then: the folder is known by reference only.
            let unnamed = before.pathKnown == false ? "a folder whose name was not read at the time" : nil
            return .object(JSONObject([
                ("breadcrumb", .string(unnamed ?? before.breadcrumb)), ("pathText", .string(unnamed ?? before.pathText)),
                ("securityTag", .string(before.securityTag)),
                ("folderTags", before.folderTags.map { .array($0.map(JSONValue.string)) } ?? .null),
                ("folder", before.folderRef.isEmpty ? .null
                    : .object(JSONObject([("ref", .string(before.folderRef)), ("url", .string(links.folder(before.folderRef)))]))),
            ]))
        } ?? .null
        // Seen before, in folders this channel may not name: not "never seen".
        assetObject["previousWithheld"] = .bool(previousWithheld)
        return ModelTexts.completed(.object(JSONObject([
            ("event", eventModel(notification, event, clock: clock)),
            ("asset", .object(assetObject)),
            ("preservica", preservicaModel(notification, links: links, version: version)),
        ])))
    }

    /// The model for a digest of several assets from one trigger; `more` counts the assets beyond `items`.
    public static func digest(_ notification: WebhookNotification, assets: [EnrichedAsset], maxItems: Int, from: String, to: String,
                              links: EntityLinks, version: String? = nil, clock: CardClock = CardClock()) -> JSONValue {
        let first = notification.events.first ?? WebhookEvent(event: "", entityType: "IO", entityRef: "")
        let models = assets.map { event(notification, first, asset: $0, links: links, version: version, clock: clock) }
        return digest(of: models, maxItems: maxItems, from: from, to: to, clock: clock)
    }

    /// The digest model from the single-event models of the assets it gathers (as the digest buffer
    /// keeps them): the first event's `event` and `preservica`, and the assets as `digest.items`.
    /// Models kept by an older relay get the texts derived since (``ModelTexts``).
    public static func digest(of models: [JSONValue], maxItems: Int, from: String, to: String, clock: CardClock = CardClock()) -> JSONValue {
        let models = models.map(ModelTexts.completed)
        let assets = models.compactMap { $0.objectValue?["asset"] }
        let files = assets.reduce(Int64(0)) { $0.addingSaturated(Int64(saturating: $1.objectValue?["bitstreamCount"]?.numberValue ?? 0)) }
        let bytes = assets.reduce(Int64(0)) { $0.addingSaturated(Int64(saturating: $1.objectValue?["totalSize"]?.numberValue ?? 0)) }
        // Assets whose files the card does not show (hidden by the channel's policy, not read, not
        // in Preservica) count as more than the totals say: the totals take a "+", and when no
        // asset shows its files, they say so rather than "no files".
        let withoutFiles = assets.filter { item in
            let asset = item.objectValue
            return asset?["redacted"] == .bool(true) || asset?["found"] == .bool(false) || asset?["unavailable"] == .bool(true)
        }.count
        let more = withoutFiles > 0 || assets.contains { ($0.objectValue?["unlistedContentObjects"]?.numberValue ?? 0) > 0 }
        var digest = JSONObject([
            ("count", .number(Double(assets.count))), ("items", .array(Array(assets.prefix(maxItems)))),
            ("more", .number(Double(max(0, assets.count - maxItems)))), ("from", .string(from)), ("to", .string(to)),
            ("span", .string(clock.span(from: from, to: to))),
            ("time", .object(JSONObject([("teamsSpan", .string(clock.teamsSpan(from: from, to: to)))]))),
            ("fileCount", .number(Double(files))), ("totalSize", .number(Double(bytes))),
            ("totalSizeText", .string(SizeText.format(bytes) + (more ? "+" : ""))),
            ("filesText", .string(!assets.isEmpty && withoutFiles == assets.count ? "files not shown" : filesText(count: Int(files), bytes: bytes, more: more))),
        ])
        if let shared = deepestSharedFolder(assets) {
            digest["folder"] = shared
            // "ingested into" only when it is every asset's own folder; "under" when some are below it.
            let ref = shared.objectValue?["ref"]
            digest["folderIsParent"] = .bool(assets.allSatisfy { $0.objectValue?["parent"]?.objectValue?["ref"] == ref })
        }
        let first = models.first?.objectValue
        return .object(JSONObject([
            ("event", first?["event"] ?? .null), ("digest", .object(digest)), ("preservica", first?["preservica"] ?? .null),
        ]))
    }

    static func eventModel(_ notification: WebhookNotification, _ event: WebhookEvent, clock: CardClock = CardClock()) -> JSONValue {
        .object(JSONObject([
            ("time", .object(JSONObject(clock.model(notification.timestamp).map { ($0.0, .string($0.1)) }))),
            ("trigger", .string(notification.trigger)), ("triggerLabel", .string(TriggerLabel.label(for: notification.trigger))),
            ("event", .string(event.event)), ("entityType", .string(event.entityType)), ("entityRef", .string(event.entityRef)),
            ("timestamp", .string(notification.timestamp)), ("tenant", .string(notification.tenant)),
            ("subscriptionId", .string(notification.subscriptionId)),
        ]))
    }

    static func assetModel(_ enriched: EnrichedAsset, links: EntityLinks, redacted: Bool = false, identifierTypes: [IdentifierType] = []) -> JSONValue {
        let asset = enriched.asset
        let totalSize = enriched.bitstreams.reduce(Int64(0)) { $0.addingSaturated($1.size) }
        let shown = shownIdentifiers(enriched.identifiers, types: identifierTypes)
        let bitstreams: [JSONValue] = enriched.bitstreams.map { bitstream in
            var fixity = JSONObject()
            for value in bitstream.fixity { fixity[value.algorithm] = .string(value.value) }
            return .object(JSONObject([
                ("filename", .string(bitstream.filename)), ("size", .number(Double(bitstream.size))),
                ("sizeText", .string(SizeText.format(bitstream.size))), ("representation", .string(bitstream.representation)),
                ("generation", .number(Double(bitstream.generation))), ("original", .bool(bitstream.original)),
                ("fixity", .object(fixity)),
            ]))
        }
        let parent: JSONValue = enriched.path.last.map { folderModel($0, links: links) } ?? .null
        return .object(JSONObject([
            // Only a 404 makes an asset unknown; Preservica being unreachable is `unavailable`.
            ("ref", .string(enriched.ref)), ("found", .bool(!enriched.notFound)), 
            // Unavailable: the entity itself could not be read, so only its reference is known. A
            // part that could not be read (its folders, its files) says so where it would show.
            ("unavailable", .bool(enriched.unread)), ("pathRead", .bool(enriched.pathRead && asset != nil)),
            // Whether the entity itself was read: its files, folders and tag are then known.
            ("read", .bool(asset != nil)),
            ("entityType", .string(enriched.entityType)), ("isFolder", .bool(enriched.entityType == "SO")),
            ("title", .string(asset?.title ?? "")), ("description", .string(asset?.description ?? "")),
            ("securityTag", .string(asset?.securityTag ?? "")),
            ("url", .string(enriched.entityType == "SO" ? links.folder(enriched.ref) : links.asset(enriched.ref))),
            ("parent", parent), ("path", .array(enriched.path.map { folderModel($0, links: links) })),
            ("pathText", .string(enriched.path.map(\.title).joined(separator: " / "))),
            ("bitstreams", .array(bitstreams)), ("bitstreamCount", .number(Double(bitstreams.count))),
            // `+` when the files of some content objects were not read: the asset holds at least this much.
            ("totalSize", .number(Double(totalSize))),
            ("totalSizeText", .string(SizeText.format(totalSize) + (enriched.unlistedContentObjects > 0 ? "+" : ""))),
            ("identifiers", .array(enriched.identifiers.map {
                .object(JSONObject([("type", .string($0.type)), ("value", .string($0.value))]))
            })),
            ("problems", .array(enriched.problems.map { .string($0) })),
            ("redacted", .bool(redacted)),
            ("breadcrumb", .string(breadcrumb(enriched.path))),
            ("shownIdentifiers", .array(shown.map { .object(JSONObject([("type", .string($0.identifier.type)), ("label", .string($0.label)),
                                                                          ("value", .string($0.identifier.value))])) })),
            // The same on one line, for cards without lists.
            ("shownIdentifiersText", .string(shown.map { "\($0.label): \($0.identifier.value)" }.joined(separator: " · "))),
            ("filesText", .string(asset == nil ? "" : filesText(count: enriched.bitstreams.count, bytes: totalSize,
                                                                  more: enriched.unlistedContentObjects > 0))),
            ("contentObjectCount", .number(Double(enriched.contentObjects))),
            ("unlistedContentObjects", .number(Double(enriched.unlistedContentObjects))),
            ("childCount", enriched.childCount.map { .number(Double($0)) } ?? .null),
        ]))
    }

    static func folderModel(_ folder: FolderEntity, links: EntityLinks) -> JSONValue {
        .object(JSONObject([("ref", .string(folder.ref)), ("title", .string(folder.title)), ("url", .string(links.folder(folder.ref))),
                            ("securityTag", .string(folder.securityTag))]))
    }

    static func preservicaModel(_ notification: WebhookNotification, links: EntityLinks, version: String?) -> JSONValue {
        .object(JSONObject([
            ("server", .string(links.base)), ("tenant", .string(notification.tenant)),
            ("version", .string(version ?? notification.version)),
        ]))
    }

    /// The folder path as a short breadcrumb: the last three folders, `… › ` before them when deeper.
    static func breadcrumb(_ path: [FolderEntity]) -> String {
        let titles = path.map(\.title)
        let shown = titles.suffix(3).joined(separator: " › ")
        return titles.count > 3 ? "… › " + shown : shown
    }

    /// The deepest folder every asset is in, directly or below (a package ingested into subfolders
    /// shares the folder it went into); nil when they share none, or a path was not read.
    static func deepestSharedFolder(_ assets: [JSONValue]) -> JSONValue? {
        let paths = assets.map { $0.objectValue?["path"]?.arrayValue ?? [] }
        guard let first = paths.first, !first.isEmpty,
              assets.allSatisfy({ $0.objectValue?["pathRead"] != .bool(false) }) else { return nil }
        var shared = first.count
        for path in paths.dropFirst() {
            shared = min(shared, zip(first, path).prefix { $0.objectValue?["ref"] == $1.objectValue?["ref"] }.count)
        }
        return shared > 0 ? first[shared - 1] : nil
    }

    /// The identifiers of the configured types, in that order (each type's values in Preservica's order).
    /// The identifiers of `types`, in that order, each with the name cards call its type by.
    static func shownIdentifiers(_ identifiers: [EntityIdentifier], types: [IdentifierType]) -> [(identifier: EntityIdentifier, label: String)] {
        types.flatMap { shown in identifiers.filter { $0.type == shown.type }.map { ($0, shown.shownName) } }
    }

    /// `28 files · 20.9 MB`, `1 file · 1.2 MB`, or `no files` (never `0 bytes`). With `more` (files
    /// of some content objects not read), `28+ files · 20.9 MB+`, since the asset holds at least
    /// that much, and `files not read` when none was.
    public static func filesText(count: Int, bytes: Int64, more: Bool = false) -> String {
        if more { return count == 0 ? "files not read" : "\(count)+ files · \(SizeText.format(bytes))+" }
        return count == 0 ? "no files" : "\(count) file\(count == 1 ? "" : "s") · \(SizeText.format(bytes))"
    }
}
