import Preservica

extension EnrichedAsset {
    /// The title a redacted asset shows in place of its own.
    static let redactedTitle = "Restricted asset: details hidden by this channel's security policy"
    /// The same for a folder (an `SO` event).
    static let redactedFolderTitle = "Restricted folder: details hidden by this channel's security policy"

    /// What a channel that redacts this asset's security tag may show: its reference, its security
    /// tag (the reason) and the event, never its title, description, file names, folder path,
    /// parent titles or identifiers.
    func redacted() -> EnrichedAsset {
        var shown = EnrichedAsset(ref: ref, asset: nil, path: [], bitstreams: [], identifiers: [], notFound: notFound, problems: [],
                                  unavailable: unavailable)
        // A folder stays a folder (its card kind and link), without its child count; one that
        // could not be read still says so.
        shown.entityType = entityType
        shown.unread = unread
        if var asset {
            asset.title = entityType == "SO" ? Self.redactedFolderTitle : Self.redactedTitle
            asset.description = nil
            asset.parentRef = nil
            shown.asset = asset
        }
        return shown
    }
}
