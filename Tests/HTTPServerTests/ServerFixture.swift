import HTTPServer

/// Runs `body` against a server started on a free port of `host` with `handler`, and stops the
/// server afterwards, also when `body` throws.
func withHTTPServer(_ handler: some HTTPHandler, limits: HTTPServerLimits = HTTPServerLimits(), host: String = "127.0.0.1",
                    _ body: (HTTPServer, Int) async throws -> Void) async throws {
    let server = HTTPServer(configuration: .init(host: host, port: 0, limits: limits), handler: handler)
    let port = try server.start()
    do {
        try await body(server, port)
    } catch {
        await server.stop(gracePeriod: .seconds(1))
        throw error
    }
    await server.stop(gracePeriod: .seconds(1))
}
