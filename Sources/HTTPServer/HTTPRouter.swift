/// A tiny exact-path router: 404 for unknown paths, 405 with `Allow` for unknown methods.
public struct HTTPRouter: HTTPHandler {
    /// A function that answers one route.
    public typealias Route = @Sendable (HTTPRequest) async -> HTTPResponse

    private var routes: [String: [String: Route]] = [:]

    /// An empty router.
    public init() {}

    /// Answers `method` on `path` with `route`. `GET` routes also answer `HEAD`.
    public mutating func add(_ method: String, _ path: String, _ route: @escaping Route) {
        routes[path, default: [:]][method] = route
    }

    public func handle(_ request: HTTPRequest) async -> HTTPResponse {
        guard let methods = routes[request.path] else {
            return .jsonError(404, "no such path")
        }
        if let route = methods[request.method] ?? (request.method == "HEAD" ? methods["GET"] : nil) {
            return await route(request)
        }
        var allowed = methods.keys.sorted()
        if allowed.contains("GET") { allowed.append("HEAD") }
        var response = HTTPResponse.jsonError(405, "method not allowed")
        response.headers.set(name: "Allow", value: allowed.joined(separator: ", "))
        return response
    }
}
