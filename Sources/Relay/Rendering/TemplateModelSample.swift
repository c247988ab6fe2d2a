import CardTemplates
import JSON
import Preservica

/// A data model with every member a template can read (docs/templates.md), built by the same
/// ``TemplateData`` functions as the cards the relay sends: what template paths are checked
/// against, so the list of known paths cannot drift from the model.
public enum TemplateModelSample {
    /// One event model and one digest model merged: `event`, `asset`, `digest` and `preservica`.
    public static let model: JSONValue = {
        let links = EntityLinks(base: "https://eu.preservica.com")
        let notification = WebhookNotification(subscriptionId: "sample", timestamp: "2026-11-30T09:41:07.250", tenant: "ARCHIVE",
                                               version: "7.7", trigger: TriggerType.ingested.rawValue,
                                               events: [WebhookEvent(event: "FullTextIndexed", entityType: "IO", entityRef: Samples.letter.ref)])
        var letter = Samples.letter
        // Every algorithm Preservica records, so `fixity.SHA1` and its siblings are known members.
        letter.bitstreams[0].fixity = ["MD5", "SHA1", "SHA256", "SHA512"].map { FixityValue(algorithm: $0, value: "0") }
        // Where the asset was before a move or a security change: present, so its members are known.
        let previous = AssetHistory.Sighting(folderRef: Samples.letters.ref, breadcrumb: "Collections › Letters & Correspondence",
                                             pathText: "Collections / Letters & Correspondence", securityTag: "open", folderTags: ["open", "open"])
        let single = TemplateData.event(notification, notification.events[0], asset: letter, links: links, version: "7.7",
                                        identifierTypes: ["code"], previous: previous)
        let digest = TemplateData.digest(of: [single, single], maxItems: 1, from: "2026-11-30T09:40:02.000Z", to: "2026-11-30T09:41:55.000Z")
        return merged(single, digest)
    }()

    /// The paths in `template` that ``model`` (and `extra`, such as a data file being rendered) lacks.
    public static func unknownPaths(in template: CardTemplate, extra: JSONValue = .null) -> [UnknownDataPath] {
        template.unknownPaths(in: merged(model, extra))
    }

    private static func merged(_ left: JSONValue, _ right: JSONValue) -> JSONValue {
        guard case .object(let first) = left, case .object(let second) = right else { return left == .null ? right : left }
        var result = first
        for (key, value) in second { result[key] = first[key].map { merged($0, value) } ?? value }
        return .object(result)
    }
}
