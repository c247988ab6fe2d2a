import Foundation
import Testing
import JSON
import ChatTargets
import Relay
import Preservica

/// Times, folders, identifiers and file totals as cards write them.
@Suite("What a card says: times, breadcrumb, identifiers, totals")
struct CardTimesTests {
    private func parse(_ text: String) throws(ConfigurationError) -> RelayConfiguration {
        try RelayConfiguration.parse(Data(text.utf8), file: "relay.json5", environment: [:])
    }

    @Test("display.timeZone and preservica.timeZone are IANA names; a wrong one names the key")
    func configuration() throws {
        let configuration = try parse("""
        { webhook: { secrets: ["s"] }, display: { timeZone: "Europe/Oslo", identifiers: ["code"] },
          preservica: { server: "eu.preservica.com", username: "u", password: "p", timeZone: "America/New_York" } }
        """)
        #expect(configuration.display.timeZone.identifier == "Europe/Oslo")
        #expect(configuration.display.identifiers == ["code"])
        let labelled = try parse(#"{ webhook: { secrets: ["s"] }, display: { identifiers: ["code", { type: "callNumber", label: "Call number" }] } }"#)
        #expect(labelled.display.identifiers == ["code", IdentifierType(type: "callNumber", label: "Call number")])
        do {
            _ = try parse(#"{ webhook: { secrets: ["s"] }, display: { identifiers: [{ label: "Call number" }] } }"#)
            Issue.record("an identifier without its type was accepted")
        } catch {
            #expect(error.problems.contains { $0.hasPrefix("display.identifiers[0].type:") }, "\(error.problems)")
        }
        #expect(configuration.preservica?.timeZone.identifier == "America/New_York")
        do {
            _ = try parse(#"{ webhook: { secrets: ["s"] }, display: { timeZone: "Mars/Olympus" } }"#)
            Issue.record("an unknown zone was accepted")
        } catch {
            #expect(error.problems.contains { $0.hasPrefix("display.timeZone:") && $0.contains("Mars/Olympus") })
        }
    }

    @Test("UTC by any of its names is the fixed zone, written UTC on cards; other names are IANA zones")
    func utcNames() throws {
        for name in ["UTC", "utc", "Etc/UTC", "GMT", "Z"] {
            let configuration = try parse(#"{ webhook: { secrets: ["s"] }, display: { timeZone: "\#(name)" }, preservica: { server: "eu.preservica.com", username: "u", password: "p", timeZone: "\#(name)" } }"#)
            #expect(configuration.display.timeZone == .gmt, "\(name)")
            #expect(configuration.preservica?.timeZone == .gmt, "\(name)")
            let clock = CardClock(source: configuration.preservica?.timeZone ?? .gmt, display: configuration.display.timeZone)
            #expect(Dictionary(uniqueKeysWithValues: clock.model("2026-11-30T17:00:00"))["text"] == "30 Nov 2026 17:00 UTC")
        }
        #expect(try parse(#"{ webhook: { secrets: ["s"] } }"#).display.timeZone == .gmt)
        #expect(try parse(#"{ webhook: { secrets: ["s"] }, display: { timeZone: "Europe/London" } }"#).display.timeZone.identifier == "Europe/London")
    }

    @Test("a zone-less Preservica time is read in preservica.timeZone and written in display.timeZone, zone named")
    func zones() {
        let clock = CardClock(source: TimeZone(identifier: "America/New_York")!, display: TimeZone(identifier: "Europe/Oslo")!)
        let model = Dictionary(uniqueKeysWithValues: clock.model("2026-11-30T12:00:00.000"))
        #expect(model["iso"] == "2026-11-30T17:00:00Z")
        #expect(model["text"] == "30 Nov 2026 18:00 \(model["zone"] ?? "?")")
        #expect(model["zone"] != "UTC" && model["zone"]?.isEmpty == false)
        #expect(model["teams"] == "{{DATE(2026-11-30T17:00:00Z, SHORT)}} {{TIME(2026-11-30T17:00:00Z)}}")
        let utc = CardClock()
        #expect(Dictionary(uniqueKeysWithValues: utc.model("2026-11-30T17:00:00Z"))["text"] == "30 Nov 2026 17:00 UTC")
        #expect(utc.span(from: "2026-11-30T17:01:00.000Z", to: "2026-11-30T17:04:59.000Z") == "30 Nov 2026 17:01–17:04 UTC")
        #expect(utc.span(from: "2026-11-30T23:59:00Z", to: "2026-12-01T00:01:00Z") == "30 Nov 2026 23:59 – 1 Dec 2026 00:01 UTC")
    }

    @Test("Discord's embed timestamp is the instant the card names, also when Preservica writes in another zone; null when unreadable")
    func discordTimestamp() throws {
        let oslo = CardClock(source: TimeZone(identifier: "Europe/Oslo")!, display: TimeZone(identifier: "Europe/Oslo")!)
        let asset = EnrichedAsset(ref: "r", asset: AssetEntity(ref: "r", title: "T", description: nil, securityTag: "open", parentRef: nil),
                                  path: [], bitstreams: [], identifiers: [], notFound: false, problems: [])
        for (timestamp, expected) in [("2026-11-29T10:52:42.469", JSONValue.string("2026-11-29T09:52:42Z")), ("yesterday", .null)] {
            let notification = WebhookNotification(subscriptionId: "s", timestamp: timestamp, tenant: "T", version: "7.7",
                                                   trigger: "FULL_TEXT_INDEXED", events: [WebhookEvent(event: "e", entityType: "IO", entityRef: "r")])
            let model = TemplateData.event(notification, notification.events[0], asset: asset, links: EntityLinks(base: "https://p.example"),
                                           clock: oslo)
            for kind in [CardKind.asset, .failure, .folder] {
                let card = ChatTargetKind.discord.card(ChatTargetKind.discord.defaultTemplate(for: kind), data: model)
                let embed = card.objectValue?["embeds"]?.arrayValue?.first?.objectValue
                #expect(embed?["timestamp"] == expected, "\(kind) \(timestamp): \(String(describing: embed?["timestamp"]))")
            }
        }
    }

    @Test("breadcrumb, identifiers in the configured order, files in one precision, never 0 bytes")
    func assetModel() {
        let notification = WebhookNotification(subscriptionId: "s", timestamp: "2026-11-30T17:00:00.000", tenant: "T", version: "7.7",
                                               trigger: "FULL_TEXT_INDEXED", events: [WebhookEvent(event: "e", entityType: "IO", entityRef: "r")])
        let folders = (1...5).map { FolderEntity(ref: "f\($0)", title: "Level \($0)", description: nil, securityTag: "open", parentRef: nil) }
        let asset = EnrichedAsset(ref: "r", asset: AssetEntity(ref: "r", title: "T", description: nil, securityTag: "open", parentRef: "f5"),
                                  path: folders, bitstreams: [],
                                  identifiers: [EntityIdentifier(type: "BatchId", value: "b1"), EntityIdentifier(type: "code", value: "C-1"),
                                                EntityIdentifier(type: "callNumber", value: "MS 12")],
                                  notFound: false, problems: [])
        let model = TemplateData.event(notification, notification.events[0], asset: asset, links: EntityLinks(base: "https://p.example"),
                                       identifierTypes: ["callNumber", "code"])
        let fields = model.objectValue?["asset"]?.objectValue
        #expect(fields?["breadcrumb"] == .string("… › Level 3 › Level 4 › Level 5"))
        #expect(fields?["filesText"] == .string("no files"))
        let shown = fields?["shownIdentifiers"]?.arrayValue?.compactMap { $0.objectValue?["value"]?.stringValue }
        #expect(shown == ["MS 12", "C-1"])
        #expect(fields?["shownIdentifiersText"] == .string("callNumber: MS 12 · code: C-1"))
        // With the label cards call a type by.
        let labelled = TemplateData.event(notification, notification.events[0], asset: asset, links: EntityLinks(base: "https://p.example"),
                                          identifierTypes: [IdentifierType(type: "callNumber", label: "Call number"), "code"])
        #expect(labelled.objectValue?["asset"]?.objectValue?["shownIdentifiersText"] == .string("Call number: MS 12 · code: C-1"))
        let teams = ChatTargetKind.teams.payload(ChatTargetKind.teams.defaultTemplate(for: .asset), data: labelled)
        #expect(JSONWriter.string(teams).contains(#""title":"Call number","value":"MS 12""#), "\(JSONWriter.string(teams))")

        // A digest names the deepest folder its assets share: a package ingested into subfolders.
        func item(_ ref: String, in path: [String]) -> JSONValue {
            let folders = path.map { FolderEntity(ref: $0, title: "Folder " + $0, description: nil, securityTag: "open", parentRef: nil) }
            let enriched = EnrichedAsset(ref: ref, asset: AssetEntity(ref: ref, title: ref, description: nil, securityTag: "open", parentRef: path.last),
                                         path: folders, bitstreams: [], identifiers: [], notFound: false, problems: [])
            return TemplateData.event(notification, notification.events[0], asset: enriched, links: EntityLinks(base: "https://p.example"))
        }
        func folder(_ models: [JSONValue]) -> String? {
            TemplateData.digest(of: models, maxItems: 5, from: "", to: "").objectValue?["digest"]?.objectValue?["folder"]?.objectValue?["ref"]?.stringValue
        }
        #expect(folder([item("a", in: ["top", "box", "box1"]), item("b", in: ["top", "box", "box2"]), item("c", in: ["top", "box"])]) == "box")
        #expect(folder([item("a", in: ["top", "box"]), item("b", in: ["top", "box"])]) == "box")
        #expect(folder([item("a", in: ["top"]), item("b", in: ["other"])]) == nil)
        #expect(SizeText.format(21_000_000) == "21.0 MB")
        #expect(SizeText.format(20_900_000) == "20.9 MB")
        #expect(TemplateData.filesText(count: 28, bytes: 20_900_000) == "28 files · 20.9 MB")
    }
}
