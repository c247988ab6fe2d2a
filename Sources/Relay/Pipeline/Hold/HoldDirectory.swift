import Foundation
import JSON

/// `<dataDir>/held/`: one JSON file per notification with events waiting for Preservica, named by
/// its sequence so `ls` shows them in order, each written with ``SpoolFiles/replace(_:with:durable:)``.
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
    func save(_ held: HeldNotification) throws(SpoolError) {
        try SpoolFiles.replace(fileName(held.sequence), with: Array(JSONWriter.pretty(held.json).utf8) + [0x0a])
    }

    /// Removes a hold whose events have all been sent on; false when its file is still there.
    @discardableResult
    func remove(_ sequence: UInt64) -> Bool {
        let path = fileName(sequence)
        SpoolFiles.remove(path)
        return !FileManager.default.fileExists(atPath: path)
    }

    private func fileName(_ sequence: UInt64) -> String {
        path + "/" + String(format: "%012llu.json", sequence)
    }
}
