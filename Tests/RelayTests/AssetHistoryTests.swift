import Foundation
import JSON
@testable import Relay
import Preservica
import Testing

/// Where each asset was last seen, kept in a bounded number of files.
@Suite("Asset history")
struct AssetHistoryTests {
    private func sighting(_ folder: String) -> AssetHistory.Sighting {
        AssetHistory.Sighting(folderRef: folder, breadcrumb: folder, pathText: folder, securityTag: "open")
    }

    @Test("a sighting whose folders were not read keeps its tag and folder, and the names known from before while the folder is the same")
    func unreadFolders() throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("history-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: data) }
        let history = AssetHistory(dataDirectory: data)
        let ref = UUID().uuidString.lowercased()
        history.record(ref, AssetHistory.Sighting(folderRef: "f1", breadcrumb: "A › B", pathText: "A / B", securityTag: "open"), sequence: 1)
        // Re-secured while its folders could not be read: the tag is recorded, the names stay.
        history.record(ref, AssetHistory.Sighting(folderRef: "f1", breadcrumb: "", pathText: "", securityTag: "closed", pathKnown: false), sequence: 2)
        #expect(history.previous(ref, before: 3) == AssetHistory.Sighting(folderRef: "f1", breadcrumb: "A › B", pathText: "A / B", securityTag: "closed"))
        // Moved while they could not be read: the new folder is known by reference only.
        history.record(ref, AssetHistory.Sighting(folderRef: "f2", breadcrumb: "", pathText: "", securityTag: "closed", pathKnown: false), sequence: 3)
        let moved = try #require(history.previous(ref, before: 4))
        #expect(moved.folderRef == "f2" && moved.pathKnown == false)
        let notification = WebhookNotification(subscriptionId: "s", timestamp: "2026-12-01T10:00:00.000", tenant: "T", version: "7.7",
                                               trigger: "MOVED", events: [WebhookEvent(event: "e", entityType: "IO", entityRef: ref)])
        let asset = EnrichedAsset(ref: ref, asset: AssetEntity(ref: ref, title: "T", description: nil, securityTag: "closed", parentRef: "f3"),
                                  path: [], bitstreams: [], identifiers: [], notFound: false, problems: [])
        let model = TemplateData.event(notification, notification.events[0], asset: asset, links: EntityLinks(base: "https://p.example"), previous: moved)
        #expect(model.objectValue?["asset"]?.objectValue?["previous"]?.objectValue?["pathText"] == .string("a folder whose name was not read at the time"))
    }

    @Test("a move card's 'moved from' text: the old folders (their last 300 characters), the top level, not known, or nothing")
    func movedFromText() {
        let ref = "a1"
        let notification = WebhookNotification(subscriptionId: "s", timestamp: "2026-12-01T10:00:00.000", tenant: "T", version: "7.7",
                                               trigger: "MOVED", events: [WebhookEvent(event: "e", entityType: "IO", entityRef: ref)])
        func text(parent: String?, previous: AssetHistory.Sighting?, trigger: String = "MOVED", read: Bool = true) -> String? {
            var moved = notification
            moved.trigger = trigger
            let asset = EnrichedAsset(ref: ref, asset: read ? AssetEntity(ref: ref, title: "T", description: nil, securityTag: "open", parentRef: parent) : nil,
                                      path: parent.map { [FolderEntity(ref: $0, title: "New", description: nil, securityTag: "open", parentRef: nil)] } ?? [],
                                      bitstreams: [], identifiers: [], notFound: false, problems: [])
            let model = TemplateData.event(moved, moved.events[0], asset: asset, links: EntityLinks(base: "https://p.example"), previous: previous)
            return model.objectValue?["asset"]?.objectValue?["movedFromText"]?.stringValue
        }
        let long = String(repeating: "Á", count: 250) + " / " + String(repeating: "z", count: 250)
        #expect(text(parent: "f2", previous: sighting("f1")) == "f1")
        #expect(text(parent: "f2", previous: AssetHistory.Sighting(folderRef: "f1", breadcrumb: "", pathText: long, securityTag: "open"))
                == "…" + String(long.suffix(299)))
        #expect(text(parent: "f2", previous: sighting("")) == "the top level")
        #expect(text(parent: "f2", previous: nil) == "not known: the relay had not seen this asset before")
        #expect(text(parent: "f2", previous: nil, read: false) == "")
        #expect(text(parent: "f1", previous: sighting("f1")) == "", "moved within its folder")
        #expect(text(parent: "f2", previous: sighting("f1"), trigger: "CHANGED_SECURITY_DESCRIPTOR") == "")
        // A model from a relay that kept no history has no `previous` at all: nothing is said.
        let old = JSONObject([("read", .bool(true)), ("parent", .object(JSONObject([("ref", .string("f2"))])))])
        #expect(ModelTexts.movedFromText(trigger: "MOVED", asset: old) == "")
    }

    @Test("a digest row says the files, or why there are none to say; the tag says what it was when it changed, each cut at 100 characters")
    func rowAndTagTexts() {
        let notification = WebhookNotification(subscriptionId: "s", timestamp: "2026-12-01T10:00:00.000", tenant: "T", version: "7.7",
                                               trigger: "CHANGED_SECURITY_DESCRIPTOR", events: [WebhookEvent(event: "e", entityType: "IO", entityRef: "r")])
        func model(_ asset: EnrichedAsset, redacted: Bool = false, previous: AssetHistory.Sighting? = nil) -> JSONObject {
            TemplateData.event(notification, notification.events[0], asset: redacted ? asset.redacted() : asset, links: EntityLinks(base: "https://p.example"),
                               redacted: redacted, previous: previous).objectValue?["asset"]?.objectValue ?? JSONObject()
        }
        let long = String(repeating: "t", count: 150)
        let read = EnrichedAsset(ref: "r", asset: AssetEntity(ref: "r", title: "T", description: nil, securityTag: long, parentRef: nil),
                                 path: [], bitstreams: [], identifiers: [], notFound: false, problems: [])
        var unread = EnrichedAsset(ref: "r", asset: nil, path: [], bitstreams: [], identifiers: [], notFound: false, problems: ["503"], unavailable: true)
        unread.unread = true
        let unknown = EnrichedAsset(ref: "r", asset: nil, path: [], bitstreams: [], identifiers: [], notFound: true, problems: [])
        #expect(model(read)["rowText"] == .string("no files"))
        #expect(model(read, redacted: true)["rowText"] == .string("details hidden"))
        #expect(model(unread)["rowText"] == .string("details unavailable"))
        #expect(model(unknown)["rowText"] == .string("not in Preservica"))
        // A digest's totals do not count files they cannot show as none.
        func digestFiles(_ assets: [EnrichedAsset], redacted: Bool = false) -> String? {
            let models = assets.map { asset in
                TemplateData.event(notification, notification.events[0], asset: redacted ? asset.redacted() : asset,
                                   links: EntityLinks(base: "https://p.example"), redacted: redacted)
            }
            return TemplateData.digest(of: models, maxItems: 5, from: "2026-12-01T10:00:00.000Z", to: "2026-12-01T10:01:00.000Z")
                .objectValue?["digest"]?.objectValue?["filesText"]?.stringValue
        }
        #expect(digestFiles([read, read]) == "no files")
        #expect(digestFiles([read], redacted: true) == "files not shown")
        #expect(digestFiles([unread, unknown]) == "files not shown")
        #expect(digestFiles([read, unread]) == "files not read", "none counted, one not shown: not 'no files'")
        let cut = String(repeating: "t", count: 99) + "…"
        // A security card about an asset not carded before says the tag before is not known.
        #expect(model(read)["securityTagText"] == .string(cut + " (the tag before is not known: the relay had not seen this asset before)"))
        // Seen before, in folders this channel may not name: it says so, for the tag and for a move.
        let withheld = TemplateData.event(notification, notification.events[0], asset: read, links: EntityLinks(base: "https://p.example"),
                                          previousWithheld: true).objectValue?["asset"]?.objectValue ?? JSONObject()
        #expect(withheld["securityTagText"] == .string(cut + " (the tag before is not shown on this channel)"))
        var moved = withheld
        moved["movedFromText"] = nil
        #expect(ModelTexts.movedFromText(trigger: "MOVED", asset: moved) == "not shown on this channel")
        moved["read"] = .bool(false)
        #expect(ModelTexts.movedFromText(trigger: "MOVED", asset: moved) == "", "an asset that was not read says nothing of where it was")
        #expect(model(read, previous: sighting("f"))["securityTagText"] == .string(cut + " (was open)"))
        #expect(model(read, previous: AssetHistory.Sighting(folderRef: "f", breadcrumb: "", pathText: "", securityTag: long))["securityTagText"] == .string(cut))
    }

    @Test("a model kept on disk by an older relay, without the derived texts, gets them when a digest or card is made from it")
    func olderModelsCompleted() {
        let notification = WebhookNotification(subscriptionId: "s", timestamp: "2026-12-01T10:00:00.000", tenant: "T", version: "7.7",
                                               trigger: "MOVED", events: [WebhookEvent(event: "e", entityType: "IO", entityRef: "r")])
        let asset = EnrichedAsset(ref: "r", asset: AssetEntity(ref: "r", title: "T", description: nil, securityTag: "closed", parentRef: "f2"),
                                  path: [FolderEntity(ref: "f2", title: "New", description: nil, securityTag: "open", parentRef: nil)],
                                  bitstreams: [], identifiers: [], notFound: false, problems: [])
        let fresh = TemplateData.event(notification, notification.events[0], asset: asset, links: EntityLinks(base: "https://p.example"),
                                       previous: sighting("f1"))
        var old = fresh.objectValue ?? JSONObject()
        var oldAsset = old["asset"]?.objectValue ?? JSONObject()
        for key in ["movedFromText", "securityTagText", "rowText"] { oldAsset[key] = nil }
        old["asset"] = .object(oldAsset)
        var oldPreservica = old["preservica"]?.objectValue ?? JSONObject()
        oldPreservica["monitor"] = nil
        old["preservica"] = .object(oldPreservica)
        #expect(JSONValue.object(old) != fresh)
        #expect(ModelTexts.completed(.object(old)) == fresh)
        let digest = TemplateData.digest(of: [.object(old)], maxItems: 10, from: "2026-12-01T10:00:00Z", to: "2026-12-01T10:00:01Z")
        #expect(digest.objectValue?["digest"]?.objectValue?["items"]?.arrayValue?.first == fresh.objectValue?["asset"])
        #expect(fresh.objectValue?["asset"]?.objectValue?["securityTagText"] == .string("closed (was open)"))
        #expect(fresh.objectValue?["asset"]?.objectValue?["movedFromText"] == .string("f1"))
    }

    @Test("an asset that could not be read says so on a card that hides its details, too")
    func redactedUnread() {
        var unread = EnrichedAsset(ref: "r", asset: nil, path: [], bitstreams: [], identifiers: [], notFound: false, problems: ["503"],
                                   unavailable: true)
        unread.unread = true
        let notification = WebhookNotification(subscriptionId: "s", timestamp: "2026-12-01T10:00:00.000", tenant: "T", version: "7.7",
                                               trigger: "FULL_TEXT_INDEXED", events: [WebhookEvent(event: "e", entityType: "IO", entityRef: "r")])
        let model = TemplateData.event(notification, notification.events[0], asset: unread.redacted(), links: EntityLinks(base: "https://p.example"),
                                       redacted: true)
        #expect(model.objectValue?["asset"]?.objectValue?["unavailable"] == .bool(true))
    }

    @Test("assets share files chosen by a hash, each keeps its before and latest, and an asset's own file from before is read and moved in")
    func sharedFiles() throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("history-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: data) }
        let history = AssetHistory(dataDirectory: data)
        let refs = (0..<3_000).map { _ in UUID().uuidString.lowercased() }
        for ref in refs { history.record(ref, sighting("first"), sequence: 1) }
        history.record(refs[0], sighting("second"), sequence: 2)
        #expect(history.previous(refs[0], before: 3) == sighting("second"))
        #expect(history.previous(refs[0], before: 2) == sighting("first"), "the same notification planned again finds the same before")
        #expect(history.previous(refs[1], before: 2) == sighting("first"))
        let files = FileManager.default.enumerator(atPath: data + "/history")?.compactMap { $0 as? String }.filter { $0.hasSuffix(".json") } ?? []
        // 3,000 assets in 65,536 files: some share one, and every file is named by two hex levels.
        #expect(files.count < refs.count && files.count > 2_800, "\(files.count) files")
        #expect(files.allSatisfy { $0.count == "ab/cd.json".count })

        // A file per asset, as written before: read, and moved into the shared file when recorded.
        let old = "3b6f1a52-8d4e-4c1a-9f0e-2a7d5c1e0b99"
        let legacy = data + "/history/3b/" + old + ".json"
        try FileManager.default.createDirectory(atPath: data + "/history/3b", withIntermediateDirectories: true)
        try Data(#"{"sequence":5,"latest":{"folderRef":"old","breadcrumb":"old","pathText":"old","securityTag":"open"}}"#.utf8)
            .write(to: URL(fileURLWithPath: legacy))
        #expect(history.previous(old, before: 6) == sighting("old"))
        history.record(old, sighting("new"), sequence: 6)
        #expect(!FileManager.default.fileExists(atPath: legacy))
        #expect(history.previous(old, before: 6) == sighting("old"))
        #expect(history.previous(old, before: 7) == sighting("new"))
    }

    @Test("a shared file that cannot be decoded is moved to corrupt/ with an audit line, not silently written over")
    func damagedSharedFile() throws {
        let data = FileManager.default.temporaryDirectory.appendingPathComponent("history-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: data) }
        let history = AssetHistory(dataDirectory: data)
        let ref = "7fdea7e0-1e72-4fb1-aadb-d7f9ee6ed8c2"
        history.record(ref, sighting("first"), sequence: 1)
        let path = history.bucketPath(ref)
        try Data("{\"7fdea7e0-1e72-4fb1-aadb-d7f9ee6ed8c2\":{\"seq".utf8).write(to: URL(fileURLWithPath: path))
        history.record(ref, sighting("second"), sequence: 2)
        let moved = (try? FileManager.default.contentsOfDirectory(atPath: data + "/corrupt")) ?? []
        #expect(moved.count == 1 && moved[0].hasPrefix("history_"), "\(moved)")
        #expect(history.previous(ref, before: 3) == sighting("second"))
        let audit = (try? String(contentsOfFile: data + "/audit.log", encoding: .utf8)) ?? ""
        #expect(audit.contains("\"step\":\"corrupt\""))
    }
}
