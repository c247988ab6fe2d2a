import Foundation

/// Reads what a card needs from Preservica's Entity API: the asset, its folder path, its
/// identifiers and the bitstreams of its active generations.
///
/// Responses are read by local element name, so the 6.x, 7.x and 8.x namespaces all work, and
/// the absolute URLs in responses are followed (kept on the configured server). Independent
/// requests run in parallel; ``PreservicaConnection`` bounds how many are in flight.
public final class EntityClient: Sendable {
    /// The connection used for every call.
    public let connection: PreservicaConnection
    let folders: FolderCache
    /// The most content objects whose files are read for one asset (each costs three requests or
    /// more); the others are counted, and the card says its files are more than it lists.
    let maxContentObjects: Int

    /// How many content objects' files are read for one asset unless configured otherwise: a few
    /// hundred pages of a digitised volume, some 600 requests.
    public static let defaultMaxContentObjects = 200

    /// A client over `connection`, caching folders for `folderCacheTTL`, reading the files of at
    /// most `maxContentObjects` content objects per asset.
    public init(connection: PreservicaConnection, folderCacheTTL: Duration = .seconds(600),
                maxContentObjects: Int = EntityClient.defaultMaxContentObjects) {
        self.connection = connection
        self.folders = FolderCache(ttl: folderCacheTTL)
        self.maxContentObjects = max(1, maxContentObjects)
    }

    /// The server's version, e.g. `7.7.0`.
    public func version() async throws(PreservicaError) -> String {
        let body = try await connection.get(connection.url("api/entity/versiondetails/version"), what: "version details")
        let root = try XMLNode.parse(body)
        guard let version = root.name == "CurrentVersion" ? root.text : root.text(of: "CurrentVersion") else {
            throw .invalidResponse("no CurrentVersion in the version details")
        }
        return version
    }

    /// Whether `ref` can go into an API path as it is: a reference is letters, digits and '-'
    /// (a UUID). Anything else (`..`, `?`, `/`) would change which endpoint gets the token.
    public static func isReference(_ ref: String) -> Bool {
        !ref.isEmpty && ref.utf8.count <= 128 && ref.utf8.allSatisfy {
            ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5a) || ($0 >= 0x61 && $0 <= 0x7a) || $0 == 0x2d
        }
    }

    func checked(_ ref: String) throws(PreservicaError) -> String {
        guard Self.isReference(ref) else { throw .notFound("\"\(ref.prefix(80))\" is not a Preservica reference") }
        return ref
    }

    /// One asset; throws ``PreservicaError/notFound(_:)`` for an unknown reference.
    public func asset(_ ref: String) async throws(PreservicaError) -> AssetEntity {
        let ref = try checked(ref)
        let root = try await document("api/entity/information-objects/\(ref)", what: "asset \(ref)")
        guard let node = root.first("InformationObject") else { throw .invalidResponse("no InformationObject for \(ref)") }
        return AssetEntity(ref: node.text(of: "Ref") ?? ref, title: node.text(of: "Title") ?? "",
                           description: node.text(of: "Description"), securityTag: node.text(of: "SecurityTag") ?? "",
                           parentRef: node.text(of: "Parent"))
    }

    /// One folder, from the cache when it is fresh. Concurrent requests for the same folder share
    /// one call, so a bulk ingest into one folder fetches it once.
    public func folder(_ ref: String) async throws(PreservicaError) -> FolderEntity {
        let ref = try checked(ref)
        return try await folders.value(for: ref) { () throws(PreservicaError) -> FolderEntity in
            let root = try await self.document("api/entity/structural-objects/\(ref)", what: "folder \(ref)")
            guard let node = root.first("StructuralObject") else { throw .invalidResponse("no StructuralObject for \(ref)") }
            return FolderEntity(ref: node.text(of: "Ref") ?? ref, title: node.text(of: "Title") ?? "",
                                description: node.text(of: "Description"), securityTag: node.text(of: "SecurityTag") ?? "",
                                parentRef: node.text(of: "Parent"))
        }
    }

    /// Forgets what is kept of the folder `ref`: Preservica said something happened to it (it
    /// moved, was renamed or re-secured), and folder paths, and so routes, must not go by how it was.
    public func forgetFolder(_ ref: String) async {
        await folders.forget(ref)
    }

    /// The folders from the root down to `ref` (included).
    public func folderPath(_ ref: String) async throws(PreservicaError) -> [FolderEntity] {
        var path: [FolderEntity] = []
        var next: String? = ref
        while let current = next, path.count < 64, !path.contains(where: { $0.ref == current }) {
            let folder = try await self.folder(current)
            path.insert(folder, at: 0)
            next = folder.parentRef
        }
        return path
    }

    /// The identifiers of an asset (`information-objects`) or folder (`structural-objects`), following
    /// `Paging/Next` (the list is paged like children; the National Archives' client follows it too).
    public func identifiers(_ ref: String, kind: String = "information-objects") async throws(PreservicaError) -> [EntityIdentifier] {
        let ref = try checked(ref)
        var found: [EntityIdentifier] = []
        try await walkPages(from: connection.url("api/entity/\(kind)/\(ref)/identifiers"), what: "identifiers of \(ref)",
                            maxPages: 1_000) { root in
            let page = root.all("Identifier").compactMap { node -> EntityIdentifier? in
                guard let type = node.child("Type")?.text, let value = node.child("Value")?.text else { return nil }
                return EntityIdentifier(type: type, value: value)
            }
            found += page
            return page.count
        }
        return found
    }

    /// Entities changed since `date` (ISO 8601), following the pages: reference, type (`IO`, `SO`), title, and
    /// whether the change was a deletion. Preservica lists a deleted entity with `deleted="true"` and, in the
    /// National Archives' client's test data, neither type nor title (dr2-preservica-client,
    /// `DataProcessor.getEntities`).
    public func updatedSince(_ date: String, pageSize: Int = 100) async throws(PreservicaError)
        -> [(ref: String, type: String, title: String, deleted: Bool)] {
        var components = URLComponents(url: connection.url("api/entity/entities/updated-since"), resolvingAgainstBaseURL: false)
        components?.queryItems = [URLQueryItem(name: "date", value: date), URLQueryItem(name: "start", value: "0"),
                                  URLQueryItem(name: "max", value: String(pageSize))]
        // URLComponents leaves `+` as it is, and a server reads a `+` in a query as a space: an
        // offset such as +01:00 would be lost.
        let query = components?.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        components?.percentEncodedQuery = query
        guard let first = components?.url else { throw .invalidResponse("cannot build the updated-since URL") }
        var found: [(ref: String, type: String, title: String, deleted: Bool)] = []
        var listed: Set<String> = []
        try await walkPages(from: first, what: "entities updated since \(date)", maxPages: 10_000) { root in
            let entities = root.all("Entity")
            // An entity listed twice is taken once.
            for entity in entities {
                guard let ref = entity.attributes["ref"], listed.insert(ref).inserted else { continue }
                let deleted = !(entity.attributes["deleted"] ?? "").isEmpty && entity.attributes["deleted"] != "false"
                found.append((ref, entity.attributes["type"] ?? "", entity.attributes["title"] ?? "", deleted))
            }
            return entities.count
        }
        return found
    }

    /// Every bitstream of every active generation of every content object of every representation
    /// that could be read. A content object that cannot be (deleted during the walk, a failing
    /// storage node) costs its own files only: it is counted in ``BitstreamWalk/unread`` with the
    /// first error, and the rest are listed.
    ///
    /// Past ``maxContentObjects`` (counted over the representations in the order Preservica lists
    /// them) the content objects are counted in ``BitstreamWalk/unlisted``, not read.
    public func bitstreams(_ ref: String) async throws(PreservicaError) -> BitstreamWalk {
        let ref = try checked(ref)
        let list = try await document("api/entity/information-objects/\(ref)/representations", what: "representations of \(ref)")
        let representations = list.all("Representation").filter { !$0.text.isEmpty }
        // A representation whose document cannot be read costs its own files only, as a content
        // object does: the others are listed, and its error is kept.
        let outcomes = await eachInParallel(representations) { (node: XMLNode) throws(PreservicaError) -> RepresentationContents? in
            try await self.contents(of: node)
        }
        var budget = maxContentObjects
        var chosen: [(RepresentationContents, ArraySlice<String>)] = []
        var unlisted = 0
        var unreadRepresentations = 0
        var representationError: PreservicaError?
        var listed: [RepresentationContents] = []
        for outcome in outcomes {
            switch outcome {
            case .success(let contents): if let contents { listed.append(contents) }
            case .failure(let error):
                unreadRepresentations += 1
                if representationError == nil || (error.meansUnavailable && !(representationError?.meansUnavailable ?? false)) {
                    representationError = error
                }
            }
        }
        for contents in listed {
            let taken = contents.contentObjects.prefix(budget)
            budget -= taken.count
            unlisted += contents.contentObjects.count - taken.count
            chosen.append((contents, taken))
        }
        let walks = try await inParallel(chosen) { (pair: (RepresentationContents, ArraySlice<String>)) throws(PreservicaError) -> BitstreamWalk in
            await self.bitstreams(of: pair.1, in: pair.0)
        }
        var walk = walks.reduce(into: BitstreamWalk()) { $0.add($1) }
        walk.contentObjects += unlisted
        walk.unlisted = unlisted
        walk.representations = representations.count
        walk.unreadRepresentations = unreadRepresentations
        if let representationError { walk.note(representationError) }
        return walk
    }

    /// Everything a card needs; never throws: a 404 sets ``EnrichedAsset/notFound`` and other
    /// failures are listed in ``EnrichedAsset/problems``. `knownIdentifiers` (from the webhook
    /// event, when the subscription includes them) saves the identifiers call.
    public func enrich(_ ref: String, knownIdentifiers: [EntityIdentifier]? = nil) async -> EnrichedAsset {
        var result = EnrichedAsset(ref: ref, asset: nil, path: [], bitstreams: [], identifiers: [], notFound: false, problems: [])
        // The identifiers do not depend on the asset's answer: ask for them at the same time.
        async let identifiers = capture { () throws(PreservicaError) in
            if let knownIdentifiers { return knownIdentifiers }
            return try await self.identifiers(ref)
        }
        do {
            result.asset = try await asset(ref)
        } catch .notFound {
            result.notFound = true
            return result
        } catch {
            result.problems.append(error.description)
            result.unavailable = error.meansUnavailable
            result.unread = true
            return result
        }
        let parent = result.asset?.parentRef
        async let path = capture { () throws(PreservicaError) in parent == nil ? [] : try await self.folderPath(parent!) }
        async let bitstreams = capture { () throws(PreservicaError) in try await self.bitstreams(ref) }
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
        switch await bitstreams {
        case .success(let walk):
            result.bitstreams = walk.found
            // A representation not read holds at least one content object, whose files are not
            // listed: counted as one, so the counts are the least there are.
            result.contentObjects = walk.contentObjects + walk.unreadRepresentations
            result.unlistedContentObjects = walk.unread + walk.unlisted + walk.unreadRepresentations
            if let error = walk.firstError {
                let parts = [walk.unread > 0 ? "\(walk.unread) of \(walk.contentObjects) content objects" : nil,
                             walk.unreadRepresentations > 0 ? "\(walk.unreadRepresentations) of \(walk.representations) representations" : nil]
                result.note("bitstreams of " + parts.compactMap { $0 }.joined(separator: " and "), error)
            }
            // Past maxContentObjects is no problem (nothing failed): the card's "+" says the
            // files are more than listed.
        case .failure(let error):
            // No file was listed, which is not "no files": at least one content object is unread.
            result.note("bitstreams", error)
            result.contentObjects = max(1, result.contentObjects)
            result.unlistedContentObjects = max(1, result.unlistedContentObjects)
        }
        return result
    }

    /// Enriches several assets at once (the connection still bounds requests in flight) and
    /// returns the results in the order of `refs`.
    public func enrich(_ refs: [String], knownIdentifiers: [[EntityIdentifier]?]? = nil) async -> [EnrichedAsset] {
        await withTaskGroup(of: (Int, EnrichedAsset).self) { group in
            for (index, ref) in refs.enumerated() {
                let known = knownIdentifiers?[index]
                group.addTask { (index, await self.enrich(ref, knownIdentifiers: known)) }
            }
            var results = [EnrichedAsset?](repeating: nil, count: refs.count)
            for await (index, enriched) in group { results[index] = enriched }
            return results.compactMap { $0 }
        }
    }

    // MARK: - The walk below an asset

    /// A representation's type, name and content objects, from its document.
    private func contents(of representation: XMLNode) async throws(PreservicaError) -> RepresentationContents? {
        guard let url = connection.follow(representation.text) else { return nil }
        let root = try await document(url, what: "representation")
        let type = representation.attributes["type"] ?? root.first("Type")?.text ?? "Preservation"
        let name = representation.attributes["name"] ?? root.first("Name")?.text
        var contentObjects = root.child("Representation")?.child("ContentObjects")?.children("ContentObject").map(\.text) ?? []
        if contentObjects.isEmpty {
            contentObjects = root.child("ContentObjects")?.children("ContentObject").compactMap { $0.attributes["ref"] } ?? []
        }
        return RepresentationContents(type: type, name: name, contentObjects: contentObjects.filter { !$0.isEmpty })
    }

    private func bitstreams(of contentObjects: ArraySlice<String>, in representation: RepresentationContents) async -> BitstreamWalk {
        let outcomes = await eachInParallel(Array(contentObjects)) { (co: String) throws(PreservicaError) -> [BitstreamInfo] in
            try await self.bitstreams(contentObject: co, representation: representation.type, name: representation.name)
        }
        var walk = BitstreamWalk()
        for outcome in outcomes {
            walk.contentObjects += 1
            switch outcome {
            case .success(let found): walk.found += found
            case .failure(let error):
                walk.unread += 1
                walk.note(error)
            }
        }
        return walk
    }

    private func bitstreams(contentObject co: String, representation: String, name: String?) async throws(PreservicaError) -> [BitstreamInfo] {
        let co = try checked(co)
        let list = try await document("api/entity/content-objects/\(co)/generations", what: "generations of \(co)")
        // The list may already say a generation is inactive; then there is no need to fetch it.
        let generations = list.all("Generation").filter { $0.attributes["active"]?.lowercased() != "false" }
            .map(\.text).filter { !$0.isEmpty }
        let groups = try await inParallel(generations) { (link: String) throws(PreservicaError) -> [BitstreamInfo] in
            guard let url = self.connection.follow(link) else { return [] }
            let root = try await self.document(url, what: "generation of \(co)")
            guard let generation = root.child("Generation") ?? root.first("Generation"),
                  generation.attributes["active"]?.lowercased() == "true" else { return [] }
            let number = Int(url.lastPathComponent) ?? 0
            let original = generation.attributes["original"]?.lowercased() == "true"
            let links = root.child("Bitstreams")?.children("Bitstream").map(\.text).filter { !$0.isEmpty } ?? []
            return try await self.inParallel(links) { (bitstreamLink: String) throws(PreservicaError) -> BitstreamInfo in
                guard let bitstreamURL = self.connection.follow(bitstreamLink) else {
                    throw .invalidResponse("a bitstream link that is not a URL")
                }
                let node = try await self.document(bitstreamURL, what: "bitstream of \(co)")
                let fixity = node.all("Fixity").compactMap { fixity -> FixityValue? in
                    guard let algorithm = fixity.child("FixityAlgorithmRef")?.text, let value = fixity.child("FixityValue")?.text else {
                        return nil
                    }
                    return FixityValue(algorithm: algorithm, value: value)
                }
                return BitstreamInfo(filename: node.text(of: "Filename") ?? "", size: max(0, Int64(node.text(of: "FileSize") ?? "") ?? 0),
                                     fixity: fixity, representation: representation, representationName: name,
                                     contentObjectRef: co, generation: number, original: original)
            }
        }
        return groups.flatMap { $0 }
    }

    // MARK: - Plumbing

    func document(_ path: String, what: String) async throws(PreservicaError) -> XMLNode {
        try await document(connection.url(path), what: what)
    }

    func document(_ url: URL, what: String) async throws(PreservicaError) -> XMLNode {
        try XMLNode.parse(try await connection.get(url, what: what))
    }

    /// Maps `items` concurrently, keeping their order; the first error wins.
    private func inParallel<Item: Sendable, Output: Sendable>(
        _ items: [Item], _ transform: @escaping @Sendable (Item) async throws(PreservicaError) -> Output
    ) async throws(PreservicaError) -> [Output] {
        if items.count == 1 { return [try await transform(items[0])] }
        return try await eachInParallel(items, transform).map { (result) throws(PreservicaError) -> Output in try result.get() }
    }

    /// Maps `items` concurrently, keeping their order and each one's success or failure.
    private func eachInParallel<Item: Sendable, Output: Sendable>(
        _ items: [Item], _ transform: @escaping @Sendable (Item) async throws(PreservicaError) -> Output
    ) async -> [Result<Output, PreservicaError>] {
        await withTaskGroup(of: (Int, Result<Output, PreservicaError>).self) { group in
            for (index, item) in items.enumerated() {
                group.addTask {
                    do throws(PreservicaError) { return (index, .success(try await transform(item))) } catch { return (index, .failure(error)) }
                }
            }
            var collected = [Result<Output, PreservicaError>?](repeating: nil, count: items.count)
            for await (index, result) in group { collected[index] = result }
            return collected.map { $0! }
        }
    }

    func capture<T: Sendable>(_ body: @Sendable () async throws(PreservicaError) -> T) async -> Result<T, PreservicaError> {
        do throws(PreservicaError) { return .success(try await body()) } catch { return .failure(error) }
    }
}

/// Folders by reference, each kept for a time-to-live, with one fetch in flight per folder.
actor FolderCache {
    private let ttl: Duration
    private var entries: [String: (FolderEntity, ContinuousClock.Instant)] = [:]
    private var inFlight: [String: Task<Result<FolderEntity, PreservicaError>, Never>] = [:]

    init(ttl: Duration) {
        self.ttl = ttl
    }

    /// The cached folder, or the result of `fetch` (shared with any concurrent caller for `ref`).
    func value(for ref: String,
               fetch: @escaping @Sendable () async throws(PreservicaError) -> FolderEntity) async throws(PreservicaError) -> FolderEntity {
        if let (folder, stored) = entries[ref], ContinuousClock.now - stored < ttl { return folder }
        if let running = inFlight[ref] { return try await running.value.get() }
        let task = Task { () -> Result<FolderEntity, PreservicaError> in
            do throws(PreservicaError) { return .success(try await fetch()) } catch { return .failure(error) }
        }
        inFlight[ref] = task
        let result = await task.value
        // Forgotten while it was fetched (the folder moved): what it read may be from before.
        let current = inFlight[ref] == task
        if current { inFlight[ref] = nil }
        if current, case .success(let folder) = result { store(folder) }
        return try result.get()
    }

    /// Keeps `folder` as read just now.
    func store(_ folder: FolderEntity) {
        if entries.count > 10_000 { entries.removeAll() }
        entries[folder.ref] = (folder, ContinuousClock.now)
    }

    /// Drops what is kept of `ref`, and a fetch of it under way, so the next lookup asks Preservica.
    func forget(_ ref: String) {
        entries[ref] = nil
        inFlight[ref] = nil
    }
}

extension EnrichedAsset {
    /// Lists a part that could not be read, and whether asking again later may help.
    mutating func note(_ part: String, _ error: PreservicaError) {
        problems.append("\(part): \(error)")
        if error.meansUnavailable { unavailable = true }
    }
}
