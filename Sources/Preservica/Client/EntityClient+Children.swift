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
        guard let first = components?.url else { throw .invalidResponse("cannot build the children URL") }
        var found: [EntityChild] = []
        try await walkPages(from: first, what: ref.map { "children of \($0)" } ?? "root folders", maxPages: limit,
                            enough: { found.count >= limit }) { root in
            let children = root.all("Child")
            for child in children {
                guard let childRef = child.attributes["ref"] else { continue }
                found.append(EntityChild(ref: childRef, title: child.attributes["title"] ?? "", type: child.attributes["type"] ?? ""))
            }
            return children.count
        }
        return Array(found.prefix(limit))
    }
}
