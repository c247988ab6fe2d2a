import Foundation
import CardTemplates
import ChatTargets
import JSON
import Preservica

/// Every kind of default card for one chat service, rendered from sample data as the relay would
/// send it (data escaped for the service), for `preview --gallery` and the browser checks.
public enum CardGallery {
    /// One card of the gallery: what it shows, and the rendered card before the envelope.
    public struct Entry: Sendable {
        public var heading: String
        public var card: JSONValue
    }

    /// The gallery for `target`, its times written by `clock`.
    public static func entries(for target: ChatTargetKind, clock: CardClock = CardClock(), identifierTypes: [IdentifierType] = ["code"]) -> [Entry] {
        let links = EntityLinks(base: "https://eu.preservica.com")
        let timestamp = "2026-11-30T09:41:07.250"
        func notification(_ trigger: TriggerType, _ refs: [String], entityType: String = "IO") -> WebhookNotification {
            WebhookNotification(subscriptionId: "gallery", timestamp: timestamp, tenant: "ARCHIVE", version: "7.7",
                                trigger: trigger.rawValue, events: refs.map { WebhookEvent(event: trigger.rawValue, entityType: entityType, entityRef: $0) })
        }
        func model(_ trigger: TriggerType, _ asset: EnrichedAsset, redacted: Bool = false) -> JSONValue {
            let note = notification(trigger, [asset.ref], entityType: asset.entityType)
            return TemplateData.event(note, note.events[0], asset: asset, links: links, version: "7.7", redacted: redacted,
                                      clock: clock, identifierTypes: identifierTypes)
        }
        func render(_ kind: CardKind, _ data: JSONValue) -> JSONValue { target.card(target.defaultTemplate(for: kind), data: data) }

        let letter = Samples.letter
        let album = Samples.album
        let unknown = EnrichedAsset(ref: "deadbeef-0000-4000-8000-000000000404", asset: nil, path: [], bitstreams: [], identifiers: [],
                                    notFound: true, problems: [])
        let digestModels = (1...50).map { index in model(.ingested, Samples.map(index)) }
        let digest = TemplateData.digest(of: digestModels, maxItems: 8, from: "2026-11-30T09:40:02.000Z", to: "2026-11-30T09:41:55.000Z", clock: clock)
        return [
            Entry(heading: "Ingested: one asset", card: render(.asset, model(.ingested, letter))),
            Entry(heading: "Ingested: an asset with 28 files", card: render(.asset, model(.ingested, album))),
            Entry(heading: "Ingested: a bulk ingest of 50 assets as one digest", card: render(.digest, digest)),
            Entry(heading: "Ingested: a physical item, with no files", card: render(.asset, model(.ingested, Samples.ledger))),
            Entry(heading: "Ingest failed", card: render(.failure, model(.ingestFailed, letter))),
            Entry(heading: "Moved", card: render(.asset, model(.moved, letter))),
            Entry(heading: "Security changed", card: render(.asset, model(.securityChanged, letter))),
            Entry(heading: "Redacted by the channel's security policy", card: render(.asset, model(.ingested, Samples.closed.redacted(), redacted: true))),
            Entry(heading: "An asset Preservica does not know", card: render(.asset, model(.ingested, unknown))),
            Entry(heading: "An asset whose details were unavailable (Preservica unreachable for the whole hold)",
                  card: render(.asset, model(.ingested, Samples.unavailable))),
            Entry(heading: "Ingest failed: a deposit package (a folder)", card: render(.failure, model(.ingestFailed, Samples.package))),
            Entry(heading: "Moved: a folder", card: render(.folder, model(.moved, Samples.package))),
        ]
    }

    /// The gallery as one HTML page.
    public static func page(for target: ChatTargetKind, clock: CardClock = CardClock()) -> String {
        CardHTML.gallery(entries(for: target, clock: clock).map { ($0.heading, $0.card) },
                         title: "Default \(target.rawValue) cards", clock: clock)
    }
}

/// The sample repository the gallery draws from: the same story the demo tells.
enum Samples {
    static let collections = FolderEntity(ref: "7b0a3c1e-1f2d-4c5b-9a8e-000000000001", title: "Collections", description: nil, securityTag: "open", parentRef: nil)
    static let letters = FolderEntity(ref: "7b0a3c1e-1f2d-4c5b-9a8e-000000000002", title: "Letters & Correspondence", description: nil,
                                      securityTag: "open", parentRef: collections.ref)
    static let papers = FolderEntity(ref: "7b0a3c1e-1f2d-4c5b-9a8e-000000000003", title: "Bjørnson family papers", description: nil,
                                     securityTag: "open", parentRef: letters.ref)
    static let maps = FolderEntity(ref: "7b0a3c1e-1f2d-4c5b-9a8e-000000000004", title: "Maps and plans", description: nil, securityTag: "open",
                                   parentRef: collections.ref)
    static let restricted = FolderEntity(ref: "7b0a3c1e-1f2d-4c5b-9a8e-000000000005", title: "Restricted records", description: nil,
                                         securityTag: "closed", parentRef: nil)

    static func file(_ name: String, _ size: Int64, _ representation: String = "Preservation") -> BitstreamInfo {
        BitstreamInfo(filename: name, size: size, fixity: [], representation: representation, representationName: nil,
                      contentObjectRef: "co", generation: 1, original: true)
    }

    /// A folder event: the Bjørnson papers as a deposit package.
    static var package: EnrichedAsset {
        var folder = EnrichedAsset(ref: papers.ref, asset: AssetEntity(ref: papers.ref, title: papers.title, description: "Deposited by the family, 2025.",
                                                                     securityTag: "open", parentRef: letters.ref),
                                   path: [collections, letters], bitstreams: [], identifiers: [], notFound: false, problems: [])
        folder.entityType = "SO"
        folder.childCount = 14
        return folder
    }

    /// An asset Preservica did not answer for during the whole hold.
    static let unavailable = {
        var asset = EnrichedAsset(ref: "9a0c4f3e-5b71-4d2a-8e6f-1c3b5d7e9f09", asset: nil, path: [], bitstreams: [], identifiers: [],
                                  notFound: false, problems: ["cannot reach Preservica"], unavailable: true)
        asset.unread = true
        return asset
    }()

    static let letter = EnrichedAsset(
        ref: "9a0c4f3e-5b71-4d2a-8e6f-1c3b5d7e9f01",
        asset: AssetEntity(ref: "9a0c4f3e-5b71-4d2a-8e6f-1c3b5d7e9f01", title: "Bjørnson: brev til Åse, 1884",
                           description: "Letter to Åse about the summer at Aulestad, four pages.", securityTag: "open", parentRef: papers.ref),
        path: [collections, letters, papers],
        bitstreams: [file("brev-1884.jp2", 20_938_271), file("brev-1884.jpg", 1_204_882, "Access"), file("brev-1884.txt", 4_211, "Access")],
        identifiers: [EntityIdentifier(type: "code", value: "BJ-1884-017"), EntityIdentifier(type: "BatchId", value: "batch-2025-03")],
        notFound: false, problems: [])

    static let album = EnrichedAsset(
        ref: "9a0c4f3e-5b71-4d2a-8e6f-1c3b5d7e9f05",
        asset: AssetEntity(ref: "9a0c4f3e-5b71-4d2a-8e6f-1c3b5d7e9f05", title: "Photograph album, 1890–1910",
                           description: "28 scanned pages in four gatherings", securityTag: "open", parentRef: collections.ref),
        path: [collections],
        bitstreams: (1...28).map { file(String(format: "album-page-%02d.tif", $0), Int64(18_000_000 + $0 * 137_911)) },
        identifiers: [EntityIdentifier(type: "code", value: "PH-1890-002")], notFound: false, problems: [])

    static let closed = EnrichedAsset(
        ref: "9a0c4f3e-5b71-4d2a-8e6f-1c3b5d7e9f03",
        asset: AssetEntity(ref: "9a0c4f3e-5b71-4d2a-8e6f-1c3b5d7e9f03", title: "Personnel file, 1950–1975", description: nil,
                           securityTag: "closed", parentRef: restricted.ref),
        path: [restricted], bitstreams: [file("personnel-file.pdf", 2_097_152)],
        identifiers: [EntityIdentifier(type: "code", value: "PF-1950")], notFound: false, problems: [])

    static let ledger = EnrichedAsset(
        ref: "9a0c4f3e-5b71-4d2a-8e6f-1c3b5d7e9f06",
        asset: AssetEntity(ref: "9a0c4f3e-5b71-4d2a-8e6f-1c3b5d7e9f06", title: "Ledger (physical item)", description: nil,
                           securityTag: "open", parentRef: collections.ref),
        path: [collections], bitstreams: [], identifiers: [EntityIdentifier(type: "code", value: "LED-1902")], notFound: false, problems: [])

    static func map(_ index: Int) -> EnrichedAsset {
        let ref = String(format: "5d1e7a20-0000-4000-8000-%012d", index)
        return EnrichedAsset(ref: ref, asset: AssetEntity(ref: ref, title: "Town plan, sheet \(index)", description: nil, securityTag: "open",
                                                          parentRef: maps.ref),
                             path: [collections, maps], bitstreams: [file("sheet-\(index).tif", Int64(40_000_000 + index * 1_000_003))],
                             identifiers: [], notFound: false, problems: [])
    }
}
