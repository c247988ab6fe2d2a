/// Lookups over a ``SimulatorRepository`` by reference, rebuilt whenever the repository changes.
struct RepositoryIndex: Sendable {
    /// Where a content object lives.
    struct ContentObjectPlace: Sendable {
        var asset: SimulatedAsset
        var representationType: String
        var contentObject: SimulatedContentObject
    }

    /// One child of a folder (or of the root), as `children` lists it.
    struct Child: Sendable {
        var ref: String
        var title: String
        /// `SO` or `IO`; empty for a deleted entity.
        var type: String
        var modified: String
        /// Deleted: `entities/updated-since` lists it with `deleted="true"` and no title or type.
        var deleted = false
    }

    let repository: SimulatorRepository
    /// Entities deleted while running, with the time of their deletion.
    private(set) var deleted: [Child] = []
    private(set) var folders: [String: SimulatedFolder] = [:]
    private(set) var assets: [String: SimulatedAsset] = [:]
    private(set) var contentObjects: [String: ContentObjectPlace] = [:]
    private var children: [String: [Child]] = [:]

    /// The key under which root-level children are kept.
    private static let rootKey = ""

    init(_ repository: SimulatorRepository) {
        self.repository = repository
        for folder in repository.folders {
            folders[folder.ref] = folder
            children[folder.parent ?? Self.rootKey, default: []]
                .append(Child(ref: folder.ref, title: folder.title, type: "SO", modified: folder.modified))
        }
        for asset in repository.assets {
            assets[asset.ref] = asset
            children[asset.parent ?? Self.rootKey, default: []]
                .append(Child(ref: asset.ref, title: asset.title, type: "IO", modified: asset.modified))
            for representation in asset.representations {
                for contentObject in representation.contentObjects {
                    contentObjects[contentObject.ref] = ContentObjectPlace(
                        asset: asset, representationType: representation.type, contentObject: contentObject)
                }
            }
        }
    }

    /// Children of `folder` (nil: the root), folders before assets, in seed order.
    func children(of folder: String?) -> [Child] {
        let all = children[folder ?? Self.rootKey] ?? []
        return all.filter { $0.type == "SO" } + all.filter { $0.type == "IO" }
    }

    /// Every folder and asset, folders first, then the deleted entities.
    var allEntities: [Child] {
        repository.folders.map { Child(ref: $0.ref, title: $0.title, type: "SO", modified: $0.modified) }
            + repository.assets.map { Child(ref: $0.ref, title: $0.title, type: "IO", modified: $0.modified) }
            + deleted
    }

    /// A copy with `asset` added, or replacing the asset with the same ref.
    func adding(_ asset: SimulatedAsset) -> RepositoryIndex {
        var repository = repository
        if let index = repository.assets.firstIndex(where: { $0.ref == asset.ref }) {
            repository.assets[index] = asset
        } else {
            repository.assets.append(asset)
        }
        var index = RepositoryIndex(repository)
        index.deleted = deleted.filter { $0.ref != asset.ref }
        return index
    }

    /// A copy without the asset `ref` (and its content objects), listed as deleted at `modified`.
    func deleting(asset ref: String, at modified: String) -> RepositoryIndex {
        var repository = repository
        repository.assets.removeAll { $0.ref == ref }
        var index = RepositoryIndex(repository)
        index.deleted = deleted + [Child(ref: ref, title: "", type: "", modified: modified, deleted: true)]
        return index
    }
}
