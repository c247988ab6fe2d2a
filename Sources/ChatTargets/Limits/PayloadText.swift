import CardTemplates
import JSON

/// Counting text as a chat service counts its character limits, and cutting it to them.
enum PayloadText {
    /// The strictest reading of "characters": UTF-16 code units, never fewer than the Unicode
    /// scalars (Discord, Slack) or the characters a reader sees.
    static func length(_ text: String) -> Int { text.utf16.count }

    /// The text of the string member `key` of `value`, or "".
    static func text(_ value: JSONValue?, _ key: String) -> String {
        value?.objectValue?[key]?.stringValue ?? ""
    }

    /// `text` cut with "…" so that its ``length(_:)`` is at most `limit`, or `text` when it fits.
    /// The cut falls between characters as a reader sees them; only a character longer than
    /// `limit` itself (a letter under hundreds of stacked marks) is cut between its scalars. The
    /// text is already escaped for its service, so a cut never ends inside an entity (`&am`) or
    /// after a lone escaping backslash.
    static func cut(_ text: String, toFit limit: Int, style: EscapeCut.Style) -> String {
        guard length(text) > limit else { return text }
        let budget = max(0, limit - 1)
        var kept = ""
        var used = 0
        for character in text {
            let size = character.utf16.count
            if used + size <= budget {
                kept.append(character)
                used += size
                continue
            }
            if kept.isEmpty {
                for scalar in character.unicodeScalars {
                    guard used + scalar.utf16.count <= budget else { break }
                    kept.unicodeScalars.append(scalar)
                    used += scalar.utf16.count
                }
            }
            break
        }
        return EscapeCut.backedOff(kept, style: style) + "…"
    }

    /// `object` with its string member `key` cut to `limit`; absent or fitting members unchanged.
    static func cut(_ object: inout JSONObject, _ key: String, toFit limit: Int, style: EscapeCut.Style) {
        guard let text = object[key]?.stringValue, length(text) > limit else { return }
        object[key] = .string(cut(text, toFit: limit, style: style))
    }

    /// `value` (an object) with the string member `key` of its member `parent` cut to `limit`.
    static func cut(_ object: inout JSONObject, _ parent: String, _ key: String, toFit limit: Int, style: EscapeCut.Style) {
        guard var inner = object[parent]?.objectValue else { return }
        cut(&inner, key, toFit: limit, style: style)
        object[parent] = .object(inner)
    }

    /// Each object of the array member `key` passed through `edit`; other items unchanged.
    static func editEach(_ object: inout JSONObject, _ key: String, _ edit: (inout JSONObject) -> Void) {
        guard let items = object[key]?.arrayValue else { return }
        object[key] = .array(items.map { item in
            guard var inner = item.objectValue else { return item }
            edit(&inner)
            return .object(inner)
        })
    }
}
