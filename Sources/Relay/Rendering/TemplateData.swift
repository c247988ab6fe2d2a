import JSON
import Preservica

/// The data a card template sees (docs/templates.md): `event`, `asset`, `digest`, `preservica`.
///
/// Sizes come both as bytes and as text; links are built from ``EntityLinks``; an asset Preservica
/// did not know still yields a model (`asset.found` false, title empty) so its card can go out.
public enum TemplateData {
    /// The model for one event of `notification` about `asset`.
    public static func event(_ notification: WebhookNotification, _ event: WebhookEvent, asset: EnrichedAsset,
                             links: EntityLinks, version: String? = nil) -> JSONValue {
        .object(JSONObject([
            ("event", eventModel(notification, event)),
            ("asset", assetModel(asset, links: links)),
            ("preservica", preservicaModel(notification, links: links, version: version)),
        ]))
    }

    /// The model for a digest of several assets from one trigger; `more` counts the assets beyond `items`.
    public static func digest(_ notification: WebhookNotification, assets: [EnrichedAsset], maxItems: Int, from: String, to: String,
                              links: EntityLinks, version: String? = nil) -> JSONValue {
        let shown = assets.prefix(maxItems).map { assetModel($0, links: links) }
        var digest = JSONObject([
            ("count", .number(Double(assets.count))), ("items", .array(Array(shown))),
            ("more", .number(Double(max(0, assets.count - maxItems)))), ("from", .string(from)), ("to", .string(to)),
        ])
        // The folder most of the assets share, when they share one.
        let parents = assets.compactMap { $0.path.last }
        if let first = parents.first, parents.allSatisfy({ $0.ref == first.ref }), parents.count == assets.count {
            digest["folder"] = folderModel(first, links: links)
        }
        return .object(JSONObject([
            ("event", eventModel(notification, notification.events.first ?? WebhookEvent(event: "", entityType: "IO", entityRef: ""))),
            ("digest", .object(digest)),
            ("preservica", preservicaModel(notification, links: links, version: version)),
        ]))
    }

    /// The digest model from the single-event models of the assets it gathers (as the digest buffer
    /// keeps them): the first event's `event` and `preservica`, and the assets as `digest.items`.
    public static func digest(of models: [JSONValue], maxItems: Int, from: String, to: String) -> JSONValue {
        let assets = models.compactMap { $0.objectValue?["asset"] }
        var digest = JSONObject([
            ("count", .number(Double(assets.count))), ("items", .array(Array(assets.prefix(maxItems)))),
            ("more", .number(Double(max(0, assets.count - maxItems)))), ("from", .string(from)), ("to", .string(to)),
        ])
        let parents = assets.map { $0.objectValue?["parent"] ?? .null }
        if let first = parents.first, first != .null, parents.allSatisfy({ $0 == first }) { digest["folder"] = first }
        let first = models.first?.objectValue
        return .object(JSONObject([
            ("event", first?["event"] ?? .null), ("digest", .object(digest)), ("preservica", first?["preservica"] ?? .null),
        ]))
    }

    static func eventModel(_ notification: WebhookNotification, _ event: WebhookEvent) -> JSONValue {
        .object(JSONObject([
            ("trigger", .string(notification.trigger)), ("triggerLabel", .string(TriggerLabel.label(for: notification.trigger))),
            ("event", .string(event.event)), ("entityType", .string(event.entityType)), ("entityRef", .string(event.entityRef)),
            ("timestamp", .string(notification.timestamp)), ("tenant", .string(notification.tenant)),
            ("subscriptionId", .string(notification.subscriptionId)),
        ]))
    }

    static func assetModel(_ enriched: EnrichedAsset, links: EntityLinks) -> JSONValue {
        let asset = enriched.asset
        let totalSize = enriched.bitstreams.reduce(Int64(0)) { $0 + $1.size }
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
            ("ref", .string(enriched.ref)), ("found", .bool(!enriched.notFound)), ("unavailable", .bool(enriched.unavailable)),
            ("entityType", .string(enriched.entityType)), ("isFolder", .bool(enriched.entityType == "SO")),
            ("title", .string(asset?.title ?? "")), ("description", .string(asset?.description ?? "")),
            ("securityTag", .string(asset?.securityTag ?? "")),
            ("url", .string(enriched.entityType == "SO" ? links.folder(enriched.ref) : links.asset(enriched.ref))),
            ("parent", parent), ("path", .array(enriched.path.map { folderModel($0, links: links) })),
            ("pathText", .string(enriched.path.map(\.title).joined(separator: " / "))),
            ("bitstreams", .array(bitstreams)), ("bitstreamCount", .number(Double(bitstreams.count))),
            ("totalSize", .number(Double(totalSize))), ("totalSizeText", .string(SizeText.format(totalSize))),
            ("identifiers", .array(enriched.identifiers.map {
                .object(JSONObject([("type", .string($0.type)), ("value", .string($0.value))]))
            })),
            ("problems", .array(enriched.problems.map { .string($0) })),
            ("childCount", enriched.childCount.map { .number(Double($0)) } ?? .null),
        ]))
    }

    static func folderModel(_ folder: FolderEntity, links: EntityLinks) -> JSONValue {
        .object(JSONObject([("ref", .string(folder.ref)), ("title", .string(folder.title)), ("url", .string(links.folder(folder.ref)))]))
    }

    static func preservicaModel(_ notification: WebhookNotification, links: EntityLinks, version: String?) -> JSONValue {
        .object(JSONObject([
            ("server", .string(links.base)), ("tenant", .string(notification.tenant)),
            ("version", .string(version ?? notification.version)),
        ]))
    }
}
