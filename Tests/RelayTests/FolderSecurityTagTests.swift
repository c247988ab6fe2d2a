import Testing
import Preservica
@testable import Relay

/// A console channel's policy holds the folders above an asset to it too (`SecurityTagPolicy.folders`).
@Suite("Security tags of the folders above")
struct FolderSecurityTagTests {
    private static func channel() -> ChannelSettings {
        var channel = DelivererRig.webhook()
        channel.securityTags = SecurityTagPolicy(allow: ["open"])
        channel.securityTags.folders = true
        return channel
    }

    /// An asset tagged `tag` in folders tagged `folderTags`, the top first.
    private static func asset(_ tag: String, in folderTags: [String]) -> EnrichedAsset {
        let path = folderTags.enumerated().map { index, folderTag in
            FolderEntity(ref: "f\(index)", title: "Folder \(index)", description: nil, securityTag: folderTag, parentRef: index == 0 ? nil : "f\(index - 1)")
        }
        return EnrichedAsset(ref: "a", asset: AssetEntity(ref: "a", title: "A", description: nil, securityTag: tag, parentRef: path.last?.ref),
                             path: path, bitstreams: [], identifiers: [], notFound: false, problems: [])
    }

    @Test("the strictest of the asset's and its folders' decisions, with the reason; a file channel's policy reads the asset's only")
    func decisions() {
        var policy = SecurityTagPolicy(allow: ["open"])
        #expect(policy.decision(for: Self.asset("open", in: ["open", "closed"])).0 == .show)
        policy.folders = true
        let inClosed = policy.decision(for: Self.asset("open", in: ["open", "closed"]))
        #expect(inClosed.0 == .skip && inClosed.reason == "security tag of a folder above it (closed)")
        #expect(policy.decision(for: Self.asset("open", in: ["open"])).0 == .show)
        let closed = policy.decision(for: Self.asset("closed", in: []))
        #expect(closed.0 == .skip && closed.reason == "security tag closed")
        #expect(policy.mayShowPrevious(folderTags: ["open"]) && !policy.mayShowPrevious(folderTags: nil) && !policy.mayShowPrevious(folderTags: ["closed"]))
    }

    /// Folders that could not be read cannot be shown to pass: the card is skipped, as the
    /// console's browser shows nothing of such an asset.
    @Test("an asset whose folders could not be read gets no card on a channel held to its folders")
    func unreadFolders() throws {
        let rig = try DelivererRig(channel: Self.channel())
        let event = WebhookEvent(event: "e", entityType: "IO", entityRef: "ref-1")
        let notification = WebhookNotification(subscriptionId: "s", timestamp: "2027-01-15T08:00:00.000", tenant: "T", version: "7.7",
                                               trigger: "FULL_TEXT_INDEXED", events: [event])
        var asset = EnrichedAsset(ref: "ref-1", asset: AssetEntity(ref: "ref-1", title: "Open", description: nil, securityTag: "open", parentRef: "f1"),
                                  path: [], bitstreams: [], identifiers: [], notFound: false, problems: ["folders"])
        asset.pathRead = false
        #expect(try rig.planner.plan(sequence: 1, eventIndex: 0, notification: notification, event: event, asset: asset).isEmpty)
        #expect(rig.pending.isEmpty)
        asset.pathRead = true
        asset.path = [FolderEntity(ref: "f1", title: "Open folder", description: nil, securityTag: "open", parentRef: nil)]
        #expect(try rig.planner.plan(sequence: 2, eventIndex: 0, notification: notification, event: event, asset: asset) == ["hook"])
    }
}
