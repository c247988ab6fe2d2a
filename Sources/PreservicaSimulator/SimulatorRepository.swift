import Foundation

/// The folders and assets the simulator serves. Codable, so a seed file is plain JSON:
/// `{"folders": [...], "assets": [...]}` (see docs/simulator.md).
public struct SimulatorRepository: Sendable, Codable, Equatable {
    /// Folders in display order.
    public var folders: [SimulatedFolder]
    /// Assets in display order.
    public var assets: [SimulatedAsset]

    /// Creates a repository.
    public init(folders: [SimulatedFolder] = [], assets: [SimulatedAsset] = []) {
        self.folders = folders
        self.assets = assets
    }

    /// A seed file that cannot be used.
    public struct SeedError: Error, CustomStringConvertible {
        /// What is wrong, naming the file.
        public var description: String
    }

    /// Reads a JSON seed file; fails with a readable message when the file is missing or malformed,
    /// or when a parent or a content object reference does not resolve.
    public static func load(path: String) throws -> SimulatorRepository {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SeedError(description: "\(path): cannot read the file")
        }
        let repository: SimulatorRepository
        do {
            repository = try JSONDecoder().decode(SimulatorRepository.self, from: data)
        } catch {
            throw SeedError(description: "\(path): \(error)")
        }
        if let problem = repository.firstProblem() { throw SeedError(description: "\(path): \(problem)") }
        return repository
    }

    /// The first inconsistency found, if any: duplicate refs, unknown parents, unknown representation types.
    public func firstProblem() -> String? {
        var seen = Set<String>()
        let folderRefs = Set(folders.map(\.ref))
        for folder in folders {
            if !seen.insert(folder.ref).inserted { return "duplicate ref \(folder.ref)" }
            if let parent = folder.parent, !folderRefs.contains(parent) { return "folder \(folder.ref): unknown parent \(parent)" }
        }
        for asset in assets {
            if !seen.insert(asset.ref).inserted { return "duplicate ref \(asset.ref)" }
            if let parent = asset.parent, !folderRefs.contains(parent) { return "asset \(asset.ref): unknown parent \(parent)" }
            for representation in asset.representations {
                // pyPreservica maps the type attribute onto an enum with exactly these two names.
                guard representation.type == "Preservation" || representation.type == "Access" else {
                    return "asset \(asset.ref): representation type must be Preservation or Access, not \(representation.type)"
                }
                for contentObject in representation.contentObjects where !seen.insert(contentObject.ref).inserted {
                    return "duplicate ref \(contentObject.ref)"
                }
            }
        }
        return nil
    }
}
