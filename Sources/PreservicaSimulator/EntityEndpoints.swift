import HTTPServer

/// Answers Entity API routes from the repository index.
struct EntityEndpoints: Sendable {
    let core: SimulatorCore

    /// The answer to `route`; `base` is the absolute Entity API root the client used.
    func answer(_ route: SimulatorRoute.EntityRoute, request: HTTPRequest, version: String?, base: String) -> HTTPResponse {
        let serverVersion = core.configuration.version
        if let version, !Self.isServed(version, by: serverVersion) { return SimulatorResponses.notFound("API version v\(version)") }
        let documents = EntityDocuments(namespaces: EntityNamespaces(version: version ?? serverVersion), base: base)
        let index = core.index
        switch route {
        case .folder(let ref):
            if let status = core.state.withLock({ $0.brokenFolders[ref] }) { return SimulatorResponses.injected(status) }
        case .contentObject(let ref), .generations(let ref), .generation(let ref, _), .bitstream(let ref, _, _):
            if let status = core.state.withLock({ $0.brokenContentObjects[ref] }) {
                return status == 404 ? SimulatorResponses.notFound("content object \(ref)") : SimulatorResponses.injected(status)
            }
        case .representation(let ref, let type, _):
            if let status = core.state.withLock({ $0.brokenRepresentations[ref + "/" + type] }) {
                return status == 404 ? SimulatorResponses.notFound("representation \(type) of \(ref)") : SimulatorResponses.injected(status)
            }
        default:
            break
        }
        switch route {
        case .version:
            return SimulatorResponses.xml(documents.version(serverVersion))
        case .asset(let ref):
            guard let asset = index.assets[ref] else { return SimulatorResponses.notFound("asset \(ref)") }
            return SimulatorResponses.xml(documents.asset(asset))
        case .folder(let ref):
            guard let folder = index.folders[ref] else { return SimulatorResponses.notFound("folder \(ref)") }
            return SimulatorResponses.xml(documents.folder(folder))
        case .representations(let ref):
            guard let asset = index.assets[ref] else { return SimulatorResponses.notFound("asset \(ref)") }
            return SimulatorResponses.xml(documents.representations(asset))
        case .representation(let ref, let type, let number):
            guard let asset = index.assets[ref],
                  let (representation, _) = EntityDocuments.numbered(asset.representations)
                      .first(where: { $0.0.type == type && $0.1 == number }) else {
                return SimulatorResponses.notFound("representation \(type)/\(number) of \(ref)")
            }
            return SimulatorResponses.xml(documents.representation(representation, of: asset))
        case .identifiers(let ref):
            let all: [SimulatedIdentifier]
            let kind: String
            if let asset = index.assets[ref] {
                (all, kind) = (asset.identifiers, "information-objects")
            } else if index.folders[ref] != nil {
                (all, kind) = ([], "structural-objects")
            } else {
                return SimulatorResponses.notFound("entity \(ref)")
            }
            // Paged like the other lists (the National Archives' client follows `Paging/Next` here).
            let page = Page(request: request, count: all.count, path: "\(base)/\(kind)/\(ref)/identifiers",
                            defaultMax: EntityDocuments.identifiersPageSize)
            return SimulatorResponses.xml(documents.identifiers(all[page.range], offset: page.range.lowerBound, total: all.count,
                                                                next: page.next, entity: ref))
        case .metadata(let ref, let fragment):
            guard let asset = index.assets[ref], fragment == EntityDocuments.metadataRef(ref) else {
                return SimulatorResponses.notFound("metadata \(fragment) of \(ref)")
            }
            return SimulatorResponses.xml(DublinCore.metadataResponse(asset, namespaces: documents.namespaces))
        case .children(let folder):
            if let folder, index.folders[folder] == nil { return SimulatorResponses.notFound("folder \(folder)") }
            let all = index.children(of: folder)
            let path = folder.map { "\(base)/structural-objects/\($0)/children" } ?? "\(base)/root/children"
            let page = Page(request: request, count: all.count, path: path)
            let next = core.faults.pagingRepeats ? path + "?start=\(page.range.lowerBound)&max=100" : page.next
            return SimulatorResponses.xml(documents.children(all[page.range], total: all.count, next: next))
        case .updatedSince:
            guard let date = request.queryParameter("date"), let since = UpdatedSinceDate.utcText(date) else {
                return SimulatorResponses.failure(400, "date is required (ISO 8601)")
            }
            // Compared as UTC wall-clock text to the second; the seed's times are UTC.
            let all = index.allEntities.filter { $0.modified >= since }
            let path = "\(base)/entities/updated-since?date=\(Page.escape(date))"
            let page = Page(request: request, count: all.count, path: path, defaultMax: 50)
            let next = core.faults.pagingRepeats ? path + "&start=\(page.range.lowerBound)&max=50" : page.next
            return SimulatorResponses.xml(documents.updatedEntities(all[page.range], total: all.count, next: next))
        case .contentObject(let ref):
            guard let place = index.contentObjects[ref] else { return SimulatorResponses.notFound("content object \(ref)") }
            return SimulatorResponses.xml(documents.contentObject(place))
        case .generations(let ref):
            guard let place = index.contentObjects[ref] else { return SimulatorResponses.notFound("content object \(ref)") }
            return SimulatorResponses.xml(documents.generations(place.contentObject))
        case .generation(let ref, let number):
            guard let contentObject = index.contentObjects[ref]?.contentObject,
                  let generation = contentObject.generations.element(number: number) else {
                return SimulatorResponses.notFound("generation \(number) of \(ref)")
            }
            return SimulatorResponses.xml(documents.generation(generation, index: number, of: contentObject))
        case .bitstream(let ref, let generationNumber, let number):
            guard let generation = index.contentObjects[ref]?.contentObject.generations.element(number: generationNumber),
                  let bitstream = generation.bitstreams.element(number: number) else {
                return SimulatorResponses.notFound("bitstream \(generationNumber)/\(number) of \(ref)")
            }
            return SimulatorResponses.xml(documents.bitstream(bitstream, contentObject: ref, generation: generationNumber, index: number))
        }
    }

    /// Whether a server at `server` answers the pinned path version `requested` (older or equal only).
    static func isServed(_ requested: String, by server: String) -> Bool {
        guard let asked = EntityNamespaces.numbers(requested), let current = EntityNamespaces.numbers(server) else { return false }
        return (asked.major, asked.minor) <= (current.major, current.minor)
    }
}

extension Array {
    /// The element at 1-based position `number`, if any.
    func element(number: Int) -> Element? {
        number >= 1 && number <= count ? self[number - 1] : nil
    }
}
