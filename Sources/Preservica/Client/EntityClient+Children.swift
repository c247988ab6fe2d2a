import Foundation

extension EntityClient {
    /// The children of folder `ref` (nil: the root folders), folders before assets as Preservica
    /// lists them, following the pages up to `limit` entries (a console lists, it does not crawl).
    public func children(of ref: String?, limit: Int = 500) async throws(PreservicaError) -> [EntityChild] {
        let path: String
        if let ref {
            guard Self.isReference(ref) else { throw .notFound("\"\(ref.prefix(80))\" is not a Preservica reference") }
            path = "api/entity/structural-objects/\(ref)/children"
        } else {
            path = "api/entity/root/children"
        }
        var components = URLComponents(url: connection.url(path), resolvingAgainstBaseURL: false)
        components?.queryItems = [URLQueryItem(name: "start", value: "0"), URLQueryItem(name: "max", value: "100")]
        guard var next = components?.url else { throw .invalidResponse("cannot build the children URL") }
        var found: [EntityChild] = []
        // A reply whose `Next` leads back to a page already read, or that lists nothing yet has a
        // next page (a broken or hostile server), ends the listing instead of asking for ever.
        var seen: Set<URL> = [next]
        while found.count < limit {
            let root = try XMLNode.parse(try await connection.get(next, what: ref.map { "children of \($0)" } ?? "root folders"))
            let before = found.count
            for child in root.all("Child") {
                guard let childRef = child.attributes["ref"] else { continue }
                found.append(EntityChild(ref: childRef, title: child.attributes["title"] ?? "", type: child.attributes["type"] ?? ""))
            }
            guard found.count > before, let link = root.text(of: "Next"), let url = connection.follow(link), seen.insert(url).inserted else { break }
            next = url
        }
        return Array(found.prefix(limit))
    }
}
