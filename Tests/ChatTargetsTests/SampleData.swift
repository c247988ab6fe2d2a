import JSON
import Preservica
import Relay

/// Preservica data for the scenarios, built with the relay's own model builder.
enum SampleData {
    static let links = EntityLinks(base: "https://eu.preservica.com", tenant: "ACME")
    static let timestamp = "2023-10-11T10:52:42.469"

    /// A long title in several scripts, with an emoji and a decomposed accent (e + U+0301).
    static let nonASCIITitle = String(
        repeating: "Kirkebøger for Århus Domsogn — 東京都公文書館の古文書 — Ελληνικά χειρόγραφα 📜 Cafe\u{301} ", count: 8)
    /// Three bytes a character in UTF-8: the heaviest realistic title per character.
    static let cjkTitle = "東京都公文書館の古文書"
    /// Text that would be markup in HTML, Slack mrkdwn or Markdown.
    static let markupTitle = "<script>alert(1)</script> & <b>bold</b> <https://evil.example|click> [x](https://evil.example) @everyone"

    static func bitstream(_ index: Int, nameLength: Int = 24) -> BitstreamInfo {
        let stem = String(repeating: "Rådhusarkiv_Ærø_kommune_", count: nameLength / 24 + 1).prefix(nameLength)
        return BitstreamInfo(
            filename: "\(stem)_\(index).tiff", size: Int64(1_234_567 * (index + 1)),
            fixity: [FixityValue(algorithm: "SHA256", value: String(repeating: "9f86d081", count: 8)),
                     FixityValue(algorithm: "MD5", value: String(repeating: "d41d8cd9", count: 4))],
            representation: "Preservation", representationName: "Preservation-1",
            contentObjectRef: "c0ffee00-0000-4000-8000-\(String(index).leftPadded(12))", generation: 1, original: true)
    }

    static func path(depth: Int = 2, titleLength: Int = 12) -> [FolderEntity] {
        (0..<depth).map { level in
            let title = String(String(repeating: "Council minutes Ålborg ", count: titleLength / 23 + 1).prefix(titleLength)) + " \(level)"
            return FolderEntity(ref: "f0000000-0000-4000-8000-\(String(level).leftPadded(12))", title: title,
                                description: nil, securityTag: "open", parentRef: nil)
        }
    }

    static func asset(ref: String = "a1b2c3d4-0000-4000-8000-000000000001", bitstreams: Int, title: String = "Minutes of the council, 1887",
                      description: String = "Bound volume, scanned at 400 dpi.", path: [FolderEntity] = path(),
                      nameLength: Int = 24) -> EnrichedAsset {
        EnrichedAsset(
            ref: ref,
            asset: AssetEntity(ref: ref, title: title, description: description, securityTag: "open", parentRef: path.last?.ref),
            path: path, bitstreams: (0..<bitstreams).map { bitstream($0, nameLength: nameLength) },
            identifiers: [EntityIdentifier(type: "BatchId", value: "batch-42")], notFound: false, problems: [])
    }

    /// 40 bitstreams with 200-character names, a long non-ASCII title, a 2,000-character
    /// non-ASCII description full of markup characters and a deep folder path.
    static func worstAsset() -> EnrichedAsset {
        let description = String(String(repeating: "Åbent arkiv <&> 東京 “quoted” ", count: 100).prefix(2_000))
        return asset(bitstreams: 40, title: nonASCIITitle, description: description,
                     path: path(depth: 12, titleLength: 120), nameLength: 200)
    }

    /// An asset Preservica could not be asked about for the whole hold.
    static func unavailableAsset() -> EnrichedAsset {
        var asset = EnrichedAsset(ref: "a1b2c3d4-0000-4000-8000-000000000503", asset: nil, path: [], bitstreams: [], identifiers: [],
                                  notFound: false, problems: ["Preservica answered 503: asset"], unavailable: true)
        asset.unread = true
        return asset
    }

    /// A folder (deposit package) with 12 entities inside, two levels down.
    static func folder(title: String = "Deposit 2023-10: Council minutes", found: Bool = true) -> EnrichedAsset {
        let ref = "50000000-0000-4000-8000-000000000001"
        let path = path()
        var folder = EnrichedAsset(
            ref: ref,
            asset: found ? AssetEntity(ref: ref, title: title, description: "Transferred by the town clerk.", securityTag: "open",
                                       parentRef: path.last?.ref) : nil,
            path: found ? path : [], bitstreams: [], identifiers: [], notFound: !found, problems: [])
        folder.entityType = "SO"
        folder.childCount = found ? 12 : nil
        return folder
    }

    static func notFoundAsset() -> EnrichedAsset {
        EnrichedAsset(ref: "deadbeef-0000-4000-8000-000000000404", asset: nil, path: [], bitstreams: [], identifiers: [],
                      notFound: true, problems: ["Preservica answered 404 for the asset"])
    }

    static func notification(trigger: String, refs: [String]) -> WebhookNotification {
        WebhookNotification(subscriptionId: "0123456789abcdef0123456789abcdef", timestamp: timestamp, tenant: "ACME",
                            version: "7.7", trigger: trigger,
                            events: refs.map { WebhookEvent(event: trigger, entityType: "IO", entityRef: $0) })
    }

    static func assetModel(_ asset: EnrichedAsset, trigger: String = "FULL_TEXT_INDEXED") -> JSONValue {
        let notification = notification(trigger: trigger, refs: [asset.ref])
        var event = notification.events[0]
        event.entityType = asset.entityType
        return TemplateData.event(notification, event, asset: asset, links: links)
    }

    /// A digest of `count` assets, each with a long title (CJK when they share a folder), a 500-character description
    /// and two bitstreams; all shown (`maxItems` is `count`), so the template must do the capping.
    static func digestModel(count: Int, sameFolder: Bool = true) -> JSONValue {
        let assets = (0..<count).map { index in
            asset(ref: "a1b2c3d4-0000-4000-8000-\(String(index).leftPadded(12))", bitstreams: 2,
                  title: sameFolder ? String(repeating: cjkTitle, count: 30) : String(nonASCIITitle.prefix(300)), description: String(repeating: "Ålborg <&> ", count: 50),
                  path: sameFolder ? path() : path(depth: 1 + index % 3))
        }
        let notification = notification(trigger: "FULL_TEXT_INDEXED", refs: assets.map(\.ref))
        return TemplateData.digest(notification, assets: assets, maxItems: count, from: "2023-10-11T10:50:00.000",
                                   to: "2023-10-11T10:52:42.469", links: links)
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
