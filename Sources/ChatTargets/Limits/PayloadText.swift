import JSON

/// Counting text as a chat service counts its character limits.
enum PayloadText {
    /// The strictest reading of "characters": UTF-16 code units, never fewer than the Unicode
    /// scalars (Discord, Slack) or the characters a reader sees.
    static func length(_ text: String) -> Int { text.utf16.count }

    /// The text of the string member `key` of `value`, or "".
    static func text(_ value: JSONValue?, _ key: String) -> String {
        value?.objectValue?[key]?.stringValue ?? ""
    }
}
