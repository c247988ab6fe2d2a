import Foundation
import Preservica

/// Where and how the relay last saw each asset: its folder and security tag, so a move card can
/// say where the asset came from and a security card what the tag was before.
///
/// One small JSON file per asset under `<dataDir>/history/<first two characters>/<ref>.json`,
/// replaced atomically. It is a hint for people, not part of what is acknowledged, so it is not
/// fsync'd: after a crash the worst case is a card that does not say where the asset came from.
public struct AssetHistory: Sendable {
    /// What the relay knew of an asset at one notification: its folder and security tag.
    public struct Sighting: Codable, Equatable, Sendable {
        public var folderRef: String
        public var breadcrumb: String
        public var pathText: String
        public var securityTag: String

        /// Creates a sighting.
        public init(folderRef: String, breadcrumb: String, pathText: String, securityTag: String) {
            self.folderRef = folderRef
            self.breadcrumb = breadcrumb
            self.pathText = pathText
            self.securityTag = securityTag
        }
    }

    /// The file's content: the latest sighting, the one before it, and the journal sequence of
    /// the latest, so planning the same notification again finds the same "before".
    private struct Record: Codable {
        var sequence: UInt64
        var latest: Sighting
        var before: Sighting?
    }

    let directory: String

    init(dataDirectory: String) {
        directory = dataDirectory + "/history"
    }

    /// What the asset looked like before the notification at `sequence`, if the relay saw it earlier.
    func previous(_ ref: String, before sequence: UInt64) -> Sighting? {
        guard let record = read(ref) else { return nil }
        return record.sequence == sequence ? record.before : (record.sequence < sequence ? record.latest : record.before)
    }

    /// Remembers `sighting` as the asset at `sequence`.
    func record(_ ref: String, _ sighting: Sighting, sequence: UInt64) {
        guard let path = path(ref) else { return }
        let existing = read(ref)
        if let existing, existing.sequence > sequence { return }
        let before = existing.map { $0.sequence == sequence ? $0.before : $0.latest } ?? nil
        guard let data = try? JSONEncoder().encode(Record(sequence: sequence, latest: sighting, before: before)) else { return }
        try? SpoolFiles.replace(path, with: Array(data), durable: false)
    }

    /// The sighting of `asset` as enriched now; nil for an asset Preservica does not know.
    static func sighting(of asset: EnrichedAsset) -> Sighting? {
        guard let entity = asset.asset else { return nil }
        return Sighting(folderRef: asset.path.last?.ref ?? "", breadcrumb: TemplateData.breadcrumb(asset.path),
                        pathText: asset.path.map(\.title).joined(separator: " / "), securityTag: entity.securityTag)
    }

    private func read(_ ref: String) -> Record? {
        guard let path = path(ref), let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONDecoder().decode(Record.self, from: data)
    }

    /// Only references made of letters, digits and dashes name a file; anything else is not remembered.
    private func path(_ ref: String) -> String? {
        guard ref.count >= 3, ref.count <= 64, ref.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else { return nil }
        return "\(directory)/\(ref.prefix(2).lowercased())/\(ref.lowercased()).json"
    }
}
