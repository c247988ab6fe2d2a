import JSON

/// JSON string quoting for the simulator's hand-built bodies, whose key order matters.
enum JSONText {
    static func quoted(_ text: String) -> String { JSONWriter.quoted(text) }
}
