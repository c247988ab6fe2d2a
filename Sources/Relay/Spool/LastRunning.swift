import Foundation

/// `<dataDir>/incoming/last-running`: when the relay was last known to be running (ISO 8601),
/// written at start, every minute, and at stop. `catchUp.onStart` asks Preservica what changed
/// since then, not since the last notification received: that may be days older, from a time
/// when the relay was up and every change was notified (and is not to be reported again as an
/// ingest).
enum LastRunning {
    /// How often a running relay says so.
    static let interval: Duration = .seconds(60)

    static func path(_ dataDirectory: String) -> String { dataDirectory + "/incoming/last-running" }

    /// The last time written, or nil (never, or unreadable).
    static func read(_ dataDirectory: String) -> String? {
        readTime(path(dataDirectory))
    }

    /// The relay's own ISO 8601 time in the file at `path`, or nil (none, or not such a time).
    static func readTime(_ path: String) -> String? {
        guard case .bytes(let bytes) = SpoolFiles.read(path) else { return nil }
        let text = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return Timestamp.date(text) == nil ? nil : text
    }

    /// Writes `now` (a hint: not fsync'd).
    static func record(_ dataDirectory: String, now: Date = Date()) {
        try? SpoolFiles.replace(path(dataDirectory), with: Array((Timestamp.iso8601(now) + "\n").utf8), durable: false)
    }
}
