/// What a request path asks for. Entity API paths may carry a version segment
/// (`/api/entity/v7.7/...`), which pins the namespaces of the answer.
enum SimulatorRoute: Equatable {
    case login
    case refresh
    case userDetails
    case entity(EntityRoute, version: String?)
    case subscriptions
    case subscription(id: String)
    case unknown

    /// The Entity API resources the simulator serves.
    enum EntityRoute: Equatable {
        case version
        case asset(String)
        case representations(asset: String)
        case representation(asset: String, type: String, index: Int)
        case identifiers(entity: String)
        case metadata(asset: String, fragment: String)
        case folder(String)
        case children(folder: String?)
        case contentObject(String)
        case generations(contentObject: String)
        case generation(contentObject: String, index: Int)
        case bitstream(contentObject: String, generation: Int, index: Int)
        case updatedSince
    }

    init(path: String) {
        var segments = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard segments.count >= 2, segments[0] == "api" else { self = .unknown; return }
        switch (segments[1], Array(segments.dropFirst(2))) {
        case ("accesstoken", ["login"]): self = .login
        case ("accesstoken", ["refresh"]): self = .refresh
        case ("user", ["details"]): self = .userDetails
        case ("webhook", ["subscriptions"]): self = .subscriptions
        case ("webhook", let rest) where rest.count == 2 && rest[0] == "subscriptions": self = .subscription(id: rest[1])
        case ("entity", _):
            segments.removeFirst(2)
            var version: String?
            if let first = segments.first, first.hasPrefix("v"), EntityNamespaces.numbers(String(first.dropFirst())) != nil {
                version = String(first.dropFirst())
                segments.removeFirst()
            }
            guard let route = Self.entityRoute(segments) else { self = .unknown; return }
            self = .entity(route, version: version)
        default: self = .unknown
        }
    }

    private static func entityRoute(_ s: [String]) -> EntityRoute? {
        switch s.count {
        case 2 where s == ["versiondetails", "version"]: return .version
        case 2 where s == ["root", "children"]: return .children(folder: nil)
        case 2 where s == ["entities", "updated-since"]: return .updatedSince
        case 2 where s[0] == "information-objects": return .asset(s[1])
        case 2 where s[0] == "structural-objects": return .folder(s[1])
        case 2 where s[0] == "content-objects": return .contentObject(s[1])
        case 3 where s[0] == "information-objects" && s[2] == "representations": return .representations(asset: s[1])
        case 3 where s[2] == "identifiers" && (s[0] == "information-objects" || s[0] == "structural-objects"):
            return .identifiers(entity: s[1])
        case 3 where s[0] == "structural-objects" && s[2] == "children": return .children(folder: s[1])
        case 3 where s[0] == "content-objects" && s[2] == "generations": return .generations(contentObject: s[1])
        // Some clients ask for `/representations/{Type}` without an index: the first of that type.
        case 4 where s[0] == "information-objects" && s[2] == "representations":
            return .representation(asset: s[1], type: s[3], index: 1)
        case 4 where s[0] == "information-objects" && s[2] == "metadata": return .metadata(asset: s[1], fragment: s[3])
        case 5 where s[0] == "information-objects" && s[2] == "representations":
            guard let index = Int(s[4]) else { return nil }
            return .representation(asset: s[1], type: s[3], index: index)
        case 4 where s[0] == "content-objects" && s[2] == "generations":
            guard let index = Int(s[3]) else { return nil }
            return .generation(contentObject: s[1], index: index)
        case 6 where s[0] == "content-objects" && s[2] == "generations" && s[4] == "bitstreams":
            guard let generation = Int(s[3]), let index = Int(s[5]) else { return nil }
            return .bitstream(contentObject: s[1], generation: generation, index: index)
        default: return nil
        }
    }
}
