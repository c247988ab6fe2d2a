import JSON

/// Texts the default cards show that follow from other fields of a card's model, written once
/// here instead of as the same expressions in every template: where a moved asset came from, the
/// security tag with the one before, what a digest row says, and where Preservica explains a
/// failed ingest.
///
/// They are derived from the model itself, so a model kept on disk by an older relay (an open
/// digest window, a channel's backlog waiting to be folded) gets them when it is rendered.
public enum ModelTexts {
    /// `model` (an event's or a digest's) with every derived text it lacks.
    public static func completed(_ model: JSONValue) -> JSONValue {
        guard var object = model.objectValue else { return model }
        let trigger = object["event"]?.objectValue?["trigger"]?.stringValue ?? ""
        if let asset = object["asset"]?.objectValue { object["asset"] = .object(completed(asset: asset, trigger: trigger)) }
        if var digest = object["digest"]?.objectValue, let items = digest["items"]?.arrayValue {
            digest["items"] = .array(items.map { item in item.objectValue.map { .object(completed(asset: $0, trigger: trigger)) } ?? item })
            object["digest"] = .object(digest)
        }
        if var preservica = object["preservica"]?.objectValue, preservica["monitor"] == nil,
           let server = preservica["server"]?.stringValue {
            // Where Preservica explains an ingest that failed ("/monitor or from the Ingest menu":
            // developers.preservica.com/blog/process-monitor-web-app-and-api).
            preservica["monitor"] = .object(JSONObject([("url", .string(server + "/monitor"))]))
            object["preservica"] = .object(preservica)
        }
        return .object(object)
    }

    private static func completed(asset: JSONObject, trigger: String) -> JSONObject {
        var asset = asset
        if asset["movedFromText"] == nil { asset["movedFromText"] = .string(movedFromText(trigger: trigger, asset: asset)) }
        if asset["securityTagText"] == nil { asset["securityTagText"] = .string(securityTagText(asset, trigger: trigger)) }
        if asset["rowText"] == nil { asset["rowText"] = .string(rowText(asset)) }
        return asset
    }

    /// What a move card says the asset came from: the folders it was in (their last 300
    /// characters), "the top level", or that this is not known because the relay had not carded
    /// the asset before. Empty for other triggers, for a move within the same folder, and when
    /// nothing can be said (a redacted card, an asset that was not read).
    static func movedFromText(trigger: String, asset: JSONObject) -> String {
        // No `previous` at all (not even null): a model from a relay that kept no history, which
        // cannot say whether the asset was seen before.
        guard trigger == "MOVED", let seen = asset["previous"] else { return "" }
        let parentRef = asset["parent"]?.objectValue?["ref"]?.stringValue
        guard let previous = seen.objectValue else {
            guard asset["read"] == .bool(true) && asset["redacted"] != .bool(true) else { return "" }
            return asset["previousWithheld"] == .bool(true) ? "not shown on this channel" : "not known: the relay had not seen this asset before"
        }
        guard let folder = previous["folder"]?.objectValue else { return parentRef != nil ? "the top level" : "" }
        guard folder["ref"]?.stringValue != parentRef else { return "" }
        let path = previous["pathText"]?.stringValue ?? ""
        return path.count > 300 ? "…" + path.suffix(299) : path
    }

    /// The tag, and the one before when it changed: "closed (was open)", each cut at 100 characters.
    /// On a security card about an asset the relay had not carded before, that the one before is
    /// not known: a card headed "Security changed" that shows one tag would otherwise say nothing
    /// of the change.
    static func securityTagText(_ asset: JSONObject, trigger: String) -> String {
        let tag = asset["securityTag"]?.stringValue ?? ""
        if trigger == "CHANGED_SECURITY_DESCRIPTOR", asset["previous"] == .null, asset["read"] == .bool(true),
           asset["redacted"] != .bool(true), !tag.isEmpty {
            return cut(tag, 100) + (asset["previousWithheld"] == .bool(true)
                ? " (the tag before is not shown on this channel)" : " (the tag before is not known: the relay had not seen this asset before)")
        }
        let before = asset["previous"]?.objectValue?["securityTag"]?.stringValue
        guard let before, before != tag else { return cut(tag, 100) }
        return cut(tag, 100) + " (was \(cut(before, 100)))"
    }

    /// What a digest's row says after the title: the files, or why there are none to tell.
    static func rowText(_ asset: JSONObject) -> String {
        if asset["redacted"] == .bool(true) { return "details hidden" }
        if asset["found"] == .bool(false) { return "not in Preservica" }
        if asset["unavailable"] == .bool(true) { return "details unavailable" }
        return asset["filesText"]?.stringValue ?? ""
    }

    /// `text` with at most `limit` characters, ending in `…` when cut.
    static func cut(_ text: String, _ limit: Int) -> String {
        text.count > limit ? text.prefix(limit - 1) + "…" : text
    }
}
