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
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o640)
        guard fd >= 0 else { return }
        _ = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
    }
}
