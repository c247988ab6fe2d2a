import Foundation
import JSON

/// `<dataDir>/held/`: one JSON file per notification with events waiting for Preservica, named by
/// its sequence so `ls` shows them in order. Written to a temporary name, fsync'd and renamed.
struct HoldDirectory: Sendable {
    let path: String

    init(dataDirectory: String) {
        path = dataDirectory + "/held"
    }

    /// Every hold on disk, oldest first; files that cannot be read are left for an operator.
    func load(now: Date) -> [HeldNotification] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
        return names.compactMap { name in
            guard let data = FileManager.default.contents(atPath: path + "/" + name),
                  let json = try? JSONParser.parse(Array(data)) else { return nil }
            return HeldNotification(json: json, now: now)
        }
    }

    /// Writes (or rewrites) a hold.
    func save(_ held: HeldNotification) throws {
        if !FileManager.default.fileExists(atPath: path) {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        }
        let file = fileName(held.sequence)
        let temporary = file + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw JournalError.system("open", temporary) }
        let bytes = Array(JSONWriter.pretty(held.json).utf8) + [0x0a]
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd) == 0
        close(fd)
        guard written == bytes.count, synced, rename(temporary, file) == 0 else { throw JournalError.system("write", file) }
        Outbox.syncDirectory(path)
    }

    /// Removes a hold whose events have all been sent on.
    func remove(_ sequence: UInt64) {
        unlink(fileName(sequence))
        Outbox.syncDirectory(path)
    }

    private func fileName(_ sequence: UInt64) -> String {
        path + "/" + String(format: "%012llu.json", sequence)
    }
}
