/// ISO 8601 text read as the templates' own clock reads it, without Foundation's formatters, for
/// the relay's card clock: `2023-10-11T10:52:42.469`, with or without `Z` or an offset.
public enum ISO8601Instant {
    /// Milliseconds since 1970-01-01T00:00:00Z, and whether the text named its zone (`Z` or an
    /// offset); zone-less text is read as UTC. Nil when the text is not such a time.
    public static func read(_ text: String) -> (milliseconds: Int64, zoned: Bool)? {
        guard let timestamp = Timestamp(iso8601: text) else { return nil }
        // Past the date, the only letters and signs a time that parsed can hold are its zone's.
        let zoned = text.utf8.dropFirst(10).contains { $0 == UInt8(ascii: "Z") || $0 == UInt8(ascii: "z")
            || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") }
        return (timestamp.milliseconds, zoned)
    }
}
