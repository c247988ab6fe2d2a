import Foundation
import JSON

/// `<dataDir>/audit.log`: one JSON line per step an event takes (routed, delivered, retried, dead),
/// so a person can follow any card. Never a URL, token or title.
public struct AuditLog: Sendable {
    /// The file.
    public let path: String

    /// The audit log under `dataDirectory`.
    public init(dataDirectory: String) {
        path = dataDirectory + "/audit.log"
    }

    /// Appends one line.
    public func record(_ step: String, _ fields: [(String, JSONValue)]) {
        let line = JSONWriter.bytes(.object(JSONObject([("time", .string(Timestamp.iso8601())), ("step", .string(step))] + fields))) + [0x0a]
        // One append per line: a reader never sees half a line from this writer. Not fsync'd: the
        // audit trail follows what the spool makes durable, it is not itself acknowledged.
        try? SpoolFiles.append(path, line, durable: false)
    }
}
