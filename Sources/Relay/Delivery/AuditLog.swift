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

    /// The log as `logrotate` leaves it, oldest first: `audit.log.N` … `audit.log.1` (those it
    /// has not compressed), then `audit.log`.
    public var files: [String] {
        let directory = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        let rotated = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).compactMap { entry -> (Int, String)? in
            guard entry.hasPrefix(name + "."), let number = Int(entry.dropFirst(name.count + 1)), number > 0 else { return nil }
            return (number, directory + "/" + entry)
        }
        return rotated.sorted { $0.0 > $1.0 }.map(\.1) + [path]
    }

    /// Every line of ``files``, oldest first.
    public func lines() -> [Substring] {
        files.flatMap { file in
            ((try? String(contentsOfFile: file, encoding: .utf8)) ?? "").split(separator: "\n")
        }
    }

    /// Moves a file that cannot be read to `<dataDir>/corrupt/` (``SpoolFiles/quarantine(_:dataDirectory:)``)
    /// and records a `corrupt` line with `fields` and where it went; the new path, or nil when it
    /// could not be moved.
    @discardableResult
    func quarantine(_ file: String, _ fields: [(String, JSONValue)] = []) -> String? {
        guard let moved = SpoolFiles.quarantine(file, dataDirectory: (path as NSString).deletingLastPathComponent) else { return nil }
        record("corrupt", fields + [("file", .string(moved))])
        return moved
    }

    /// Appends one line.
    public func record(_ step: String, _ fields: [(String, JSONValue)]) {
        append(Self.line(step, fields))
    }

    /// Appends lines gathered together, with one write.
    func record(_ lines: AuditLines) {
        if !lines.isEmpty { append(lines.bytes) }
    }

    /// One line, stamped now, with its newline.
    static func line(_ step: String, _ fields: [(String, JSONValue)]) -> [UInt8] {
        JSONWriter.bytes(.object(JSONObject([("time", .string(Timestamp.iso8601())), ("step", .string(step))] + fields))) + [0x0a]
    }

    private func append(_ bytes: [UInt8]) {
        // One append per call: a reader never sees half a line from this writer. Not fsync'd: the
        // audit trail follows what the spool makes durable, it is not itself acknowledged.
        try? SpoolFiles.append(path, bytes, durable: false)
    }
}
