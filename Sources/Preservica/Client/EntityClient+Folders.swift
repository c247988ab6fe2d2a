/// Folder events (deposit packages): what a folder card needs, and the dispatch of each event's
/// entity to the walk for its type.
extension EntityClient {
    /// Everything a folder card needs: the folder (title, description, security tag), the folders
    /// above it, its identifiers and how many entities it holds. Never throws, like ``enrich(_:knownIdentifiers:)``.
    /// The folder is read directly, not from the cache: the event may be about the change itself.
    public func enrichFolder(_ ref: String, knownIdentifiers: [EntityIdentifier]? = nil) async -> EnrichedAsset {
        var result = EnrichedAsset(ref: ref, asset: nil, path: [], bitstreams: [], identifiers: [], notFound: false, problems: [])
        result.entityType = "SO"
        async let identifiers = capture { () throws(PreservicaError) in
            if let knownIdentifiers { return knownIdentifiers }
            return try await self.identifiers(ref, kind: "structural-objects")
        }
        async let children = capture { () throws(PreservicaError) in try await self.childCount(ref) }
        let folder: FolderEntity
        do throws(PreservicaError) {
            let valid = try checked(ref)
            let root = try await document("api/entity/structural-objects/\(valid)", what: "folder \(valid)")
            guard let node = root.first("StructuralObject") else { throw .invalidResponse("no StructuralObject for \(valid)") }
            folder = FolderEntity(ref: node.text(of: "Ref") ?? ref, title: node.text(of: "Title") ?? "",
                                  description: node.text(of: "Description"), securityTag: node.text(of: "SecurityTag") ?? "",
                                  parentRef: node.text(of: "Parent"))
        } catch .notFound {
            result.notFound = true
            return result
        } catch {
            result.problems.append(error.description)
            result.unavailable = error.meansUnavailable
            result.unread = true
            return result
        }
        // Read fresh: the paths of the assets inside it go by this from now on.
        await folders.store(folder)
        result.asset = AssetEntity(ref: folder.ref, title: folder.title, description: folder.description,
                                   securityTag: folder.securityTag, parentRef: folder.parentRef)
        let parent = folder.parentRef
        async let path = capture { () throws(PreservicaError) in parent == nil ? [] : try await self.folderPath(parent!) }
        switch await path {
        case .success(let value): result.path = value
        case .failure(let error):
            result.note("folder path", error)
            result.pathRead = false
        }
        switch await identifiers {
        case .success(let value): result.identifiers = value
        case .failure(.notFound): break
        case .failure(let error): result.note("identifiers", error)
        }
        switch await children {
        case .success(let value): result.childCount = value
        case .failure(let error): result.note("children", error)
        }
        return result
    }

    /// How many folders and assets a folder holds directly, from one page of one child.
    public func childCount(_ ref: String) async throws(PreservicaError) -> Int {
        let ref = try checked(ref)
        let root = try await document("api/entity/structural-objects/\(ref)/children?start=0&max=1", what: "children of \(ref)")
        if let total = root.first("Paging")?.text(of: "TotalResults").flatMap({ Int($0) }) { return total }
        return root.all("Child").count
    }

    /// Enriches the entity of each event by its type: assets (`IO`) through ``enrich(_:knownIdentifiers:)``,
    /// folders (`SO`) through ``enrichFolder(_:knownIdentifiers:)``; other types are passed on with
    /// their reference only. Results come in the order of `entities`.
    public func enrich(entities: [(ref: String, type: String)], knownIdentifiers: [[EntityIdentifier]?]) async -> [EnrichedAsset] {
        await withTaskGroup(of: (Int, EnrichedAsset).self) { group in
            for (index, entity) in entities.enumerated() {
                let known = knownIdentifiers.indices.contains(index) ? knownIdentifiers[index] : nil
                group.addTask {
                    switch entity.type {
                    case "IO": return (index, await self.enrich(entity.ref, knownIdentifiers: known))
                    case "SO": return (index, await self.enrichFolder(entity.ref, knownIdentifiers: known))
                    default:
                        var other = EnrichedAsset(ref: entity.ref, asset: nil, path: [], bitstreams: [], identifiers: known ?? [],
                                                  notFound: false, problems: ["entities of type \(entity.type) are not looked up"])
                        other.entityType = entity.type
                        return (index, other)
                    }
                }
            }
            var results = [EnrichedAsset?](repeating: nil, count: entities.count)
            for await (index, enriched) in group { results[index] = enriched }
            return results.compactMap { $0 }
        }
    }
}
