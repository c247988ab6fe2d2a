import JSON

/// Audit lines gathered to be appended together: the worker plans up to 32 notifications at a
/// time and writes their lines with one append instead of one per event.
struct AuditLines: Sendable {
    /// The lines, each ending in a newline.
    private(set) var bytes: [UInt8] = []

    /// Adds one line, stamped now.
    mutating func add(_ step: String, _ fields: [(String, JSONValue)]) {
        bytes += AuditLog.line(step, fields)
    }

    var isEmpty: Bool { bytes.isEmpty }
}
