import Foundation
import Hashing
import Preservica

/// Where and how the relay last saw each asset: its folder and security tag, so a move card can
/// say where the asset came from and a security card what the tag was before.
///
/// Assets are kept in 65,536 small JSON files, `<dataDir>/history/<xx>/<yy>.json`, chosen by a
/// hash of the reference (a million assets are about fifteen to a file), each replaced
/// atomically when one of its assets changes. One file per asset, as before, grew by an inode and
/// a file-system block per asset ever seen; such files are still read, and an asset's moves into
/// its shared file when it is next recorded. It is a hint for people, not part of what is
/// acknowledged, so it is not fsync'd: after a crash the worst case is cards that do not say
/// where their assets came from. A shared file that cannot be decoded (cut short by a power
/// cut) is moved to `corrupt/`, with an audit line, so the assets it held lose their history
/// but the file stays for a person to look at.
public struct AssetHistory: Sendable {
    /// What the relay knew of an asset at one notification: its folder and security tag.
    public struct Sighting: Codable, Equatable, Sendable {
        public var folderRef: String
        public var breadcrumb: String
        public var pathText: String
        public var securityTag: String
        /// False when the folders above could not be read at the time: `folderRef` is the asset's
        /// own folder, but its names are not known. Nil (true) in records written before.
        public var pathKnown: Bool?
        /// The security tags of those folders, the top first; nil when not known (in records
        /// written before, or when the folders could not be read).
        public var folderTags: [String]?

        /// Creates a sighting.
        public init(folderRef: String, breadcrumb: String, pathText: String, securityTag: String, pathKnown: Bool? = nil,
                    folderTags: [String]? = nil) {
            self.folderRef = folderRef
            self.breadcrumb = breadcrumb
            self.pathText = pathText
            self.securityTag = securityTag
            self.pathKnown = pathKnown
            self.folderTags = folderTags
        }
    }

    /// One asset's entry: the latest sighting, the one before it, and the journal sequence of
    /// the latest, so planning the same notification again finds the same "before".
    private struct Record: Codable {
        var sequence: UInt64
        var latest: Sighting
        var before: Sighting?
    }

    let directory: String
    /// Reading and replacing a shared file take turns.
    private static let lock = SharedLock()

    init(dataDirectory: String) {
        directory = dataDirectory + "/history"
    }

    /// What the asset looked like before the notification at `sequence`, if the relay saw it earlier.
    func previous(_ ref: String, before sequence: UInt64) -> Sighting? {
        read(ref).flatMap { Self.sighting(before: sequence, in: $0) }
    }

    /// Remembers `sighting` as the asset at `sequence`, and returns what it looked like before
    /// that notification (as ``previous(_:before:)`` would): one read of its file for both.
    @discardableResult
    func record(_ ref: String, _ sighting: Sighting, sequence: UInt64) -> Sighting? {
        guard let key = key(ref) else { return nil }
        return Self.lock.run { () -> Sighting? in
            // A file that cannot be read now is not written over.
            guard var bucket = readBucket(key) else { return nil }
            let legacy = bucket[key] == nil ? readLegacy(key) : nil
            let existing = bucket[key] ?? legacy
            let before = existing.flatMap { Self.sighting(before: sequence, in: $0) }
            if let existing, existing.sequence > sequence { return before }
            var latest = sighting
            // Folders not read now, but the asset is where it was: what was known of them still holds.
            if sighting.pathKnown == false, let known = before, known.pathKnown != false, known.folderRef == sighting.folderRef {
                latest.breadcrumb = known.breadcrumb
                latest.pathText = known.pathText
                latest.folderTags = known.folderTags
                latest.pathKnown = nil
            }
            bucket[key] = Record(sequence: sequence, latest: latest, before: before)
            guard let data = try? JSONEncoder().encode(bucket),
                  (try? SpoolFiles.replace(bucketPath(key), with: Array(data), durable: false)) != nil else { return before }
            // Moved into the shared file: the asset's own file from before is no longer needed.
            if legacy != nil { _ = unlink(legacyPath(key)) }
            return before
        }
    }

    /// What `record` says the asset looked like before the notification at `sequence`.
    private static func sighting(before sequence: UInt64, in record: Record) -> Sighting? {
        record.sequence < sequence ? record.latest : record.before
    }

    /// The sighting of `asset` as enriched now; nil for an asset Preservica does not know. When its
    /// folders could not be read, the sighting keeps its own folder's reference and its tag, and
    /// says the names are not known (an empty path would read as the top level next time).
    static func sighting(of asset: EnrichedAsset) -> Sighting? {
        guard let entity = asset.asset else { return nil }
        guard asset.pathRead else {
            return Sighting(folderRef: entity.parentRef ?? "", breadcrumb: "", pathText: "", securityTag: entity.securityTag, pathKnown: false)
        }
        return Sighting(folderRef: asset.path.last?.ref ?? "", breadcrumb: TemplateData.breadcrumb(asset.path),
                        pathText: asset.path.map(\.title).joined(separator: " / "), securityTag: entity.securityTag,
                        folderTags: asset.path.map(\.securityTag))
    }

    private func read(_ ref: String) -> Record? {
        guard let key = key(ref) else { return nil }
        return Self.lock.run { readBucket(key)?[key] ?? readLegacy(key) }
    }

    /// The shared file of `key`: empty when there is none, or when it could not be decoded (then
    /// it is moved aside); nil when it cannot be read now.
    private func readBucket(_ key: String) -> [String: Record]? {
        let path = bucketPath(key)
        switch SpoolFiles.read(path) {
        case .missing: return [:]
        case .unavailable, .unreadable: return nil
        case .bytes(let data):
            if let bucket = try? JSONDecoder().decode([String: Record].self, from: Data(data)) { return bucket }
            let dataDirectory = (directory as NSString).deletingLastPathComponent
            AuditLog(dataDirectory: dataDirectory).quarantine(path)
            return [:]
        }
    }

    private func readLegacy(_ key: String) -> Record? {
        guard let data = FileManager.default.contents(atPath: legacyPath(key)) else { return nil }
        return try? JSONDecoder().decode(Record.self, from: data)
    }

    /// Only references made of letters, digits and dashes are remembered, lowercased.
    private func key(_ ref: String) -> String? {
        guard ref.count >= 3, ref.count <= 64, ref.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else { return nil }
        return ref.lowercased()
    }

    /// The shared file of `key`: 16 bits of its FNV-1a hash, as two levels of two hex digits.
    func bucketPath(_ key: String) -> String {
        var hash: UInt32 = 2_166_136_261
        for byte in key.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        let bits = Int((hash >> 16) ^ (hash & 0xffff))
        return directory + "/" + Hex.encode([UInt8(bits >> 8)]) + "/" + Hex.encode([UInt8(bits & 0xff)]) + ".json"
    }

    /// The asset's own file, as the relay wrote them before the shared files.
    private func legacyPath(_ key: String) -> String {
        "\(directory)/\(key.prefix(2))/\(key).json"
    }
}
