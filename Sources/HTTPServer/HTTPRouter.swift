/// A tiny exact-path router: 404 for unknown paths, 405 with `Allow` for unknown methods.
public struct HTTPRouter: HTTPHandler {
    /// A function that answers one route.
    public typealias Route = @Sendable (HTTPRequest) async -> HTTPResponse
    /// A route that answers through a callback; it runs on the event loop and must not block (see ``HTTPHandler``).
    public typealias CallbackRoute = @Sendable (HTTPRequest, @escaping @Sendable (HTTPResponse) -> Void) -> Void

    private enum Entry {
        case async(Route)
        case callback(CallbackRoute)
    }

    private var routes: [String: [String: Entry]] = [:]

    /// An empty router.
    public init() {}

    /// Answers `method` on `path` with `route`. `GET` routes also answer `HEAD`.
    public mutating func add(_ method: String, _ path: String, _ route: @escaping Route) {
        routes[path, default: [:]][method] = .async(route)
    }

    /// Answers `method` on `path` with a callback route.
    public mutating func add(_ method: String, _ path: String, callback route: @escaping CallbackRoute) {
        routes[path, default: [:]][method] = .callback(route)
    }

    public func handle(_ request: HTTPRequest) async -> HTTPResponse {
        await withCheckedContinuation { continuation in
            handle(request) { continuation.resume(returning: $0) }
        }
    }

    public func handle(_ request: HTTPRequest, respond: @escaping @Sendable (HTTPResponse) -> Void) {
        switch lookup(request) {
        case .success(.async(let route)): Self.offLoop(respond) { await route(request) }
        case .success(.callback(let route)): route(request, respond)
        case .failure(let refusal): respond(refusal.response)
        }
    }

    private func lookup(_ request: HTTPRequest) -> Result<Entry, HTTPResponseError> {
        guard let methods = routes[request.path] else {
            return .failure(HTTPResponseError(.jsonError(404, "no such path")))
        }
        if let entry = methods[request.method] ?? (request.method == "HEAD" ? methods["GET"] : nil) {
            return .success(entry)
        }
        var allowed = methods.keys.sorted()
        if allowed.contains("GET") { allowed.append("HEAD") }
        var response = HTTPResponse.jsonError(405, "method not allowed")
        response.headers.set(name: "Allow", value: allowed.joined(separator: ", "))
        return .failure(HTTPResponseError(response))
    }
}

/// A response carried as an error, for lookups that end in a refusal.
struct HTTPResponseError: Error {
    var response: HTTPResponse
    init(_ response: HTTPResponse) { self.response = response }
}
