import Foundation
import JSON

/// `<dataDir>/held/`: one JSON file per notification with events waiting for Preservica, named by
/// its sequence so `ls` shows them in order, each written with ``SpoolFiles/replace(_:with:durable:)``.
struct HoldDirectory: Sendable {
    let path: String

    private let dataDirectory: String

    init(dataDirectory: String) {
        self.dataDirectory = dataDirectory
        path = dataDirectory + "/held"
    }

    /// What ``load(now:)`` found.
    struct Loaded {
        /// Every hold that could be read, oldest first.
        var holds: [HeldNotification] = []
        /// Holds that are not a hold (damaged on disk, edited by hand): moved to `corrupt/` (the
        /// path there), or nil where they could not be moved and stay in `held/`.
        var damaged: [(file: String, movedTo: String?)] = []
        /// Holds that could not be opened now (out of file descriptors): left where they are for
        /// the next start.
        var unavailable: [String] = []
    }

    /// Every hold on disk, oldest first. One that is not a hold is moved to `corrupt/` (with an
    /// audit line), so that an operator finds it and its events are not passed over in silence.
    func load(now: Date) -> Loaded {
        var loaded = Loaded()
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
        for name in names {
            let file = path + "/" + name
            switch SpoolFiles.read(file) {
            case .missing:
                continue
            case .unavailable:
                loaded.unavailable.append(file)
                continue
            case .bytes(let data):
                if let json = try? JSONParser.parse(data), let hold = HeldNotification(json: json, now: now) {
                    loaded.holds.append(hold)
                    continue
                }
            case .unreadable:
                break
            }
            loaded.damaged.append((file, setAside(file: file)))
        }
        return loaded
    }

    /// Moves the hold of `sequence` to `corrupt/`, with an audit line; the path there, or nil
    /// when it could not be moved.
    func setAside(_ sequence: UInt64) -> String? {
        setAside(file: fileName(sequence))
    }

    private func setAside(file: String) -> String? {
        AuditLog(dataDirectory: dataDirectory).quarantine(file)
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
