import Foundation
import Hashing
import HTTPServer
import JSON
import OutboundHTTP
import Preservica
import Relay

/// The curators' console: the page, its script and style, and the JSON API under
/// `/console/api/`. Mount it on a ``RelayService`` with ``RelayService/mountConsole(_:)``.
///
/// Every API path but sign-in needs a live session (else 401); every POST, PUT and DELETE also
/// needs the session's token in `X-CSRF-Token` (else 403), which a page on another site cannot
/// read or send.
public final class ConsoleApp: HTTPHandler {
    private let context: ConsoleContext
    private let session: SessionEndpoints
    private let channels: ChannelEndpoints
    private let folders: FolderEndpoints

    /// The console for `service`. By default people sign in against the relay's Preservica server,
    /// and folders and test cards use the relay's own Preservica account, both as the configuration
    /// in force gives them (a reload that rotates the password reaches them at once). The
    /// `console` block's own settings stay as they were at start.
    public init(service: RelayService, logger: Logger, clock: ConsoleClock = .system, limiter: SignInLimiter? = nil,
                changes: ChangeLimiter? = nil) {
        let settings = service.configuration.console
        context = ConsoleContext(
            service: service, settings: settings,
            sessions: SessionStore(idleTimeout: settings.idleTimeout, lifetime: settings.sessionLifetime, clock: clock),
            limiter: limiter ?? SignInLimiter(clock: clock),
            changes: changes ?? ChangeLimiter(clock: clock),
            signInClient: OutboundClient(maxConnectionsPerHost: 4),
            testClient: OutboundClient(maxConnectionsPerHost: 2),
            logger: logger)
        session = SessionEndpoints(context: context)
        channels = ChannelEndpoints(context: context)
        folders = FolderEndpoints(context: context)
    }

    /// The sessions, for tests and the sweeper.
    public var sessions: SessionStore { context.sessions }

    public func handle(_ request: HTTPRequest) async -> HTTPResponse {
        let path = request.path
        let method = request.method == "HEAD" ? "GET" : request.method
        switch (method, path) {
        case ("GET", "/console"):
            return ConsoleResponse.secured(HTTPResponse(status: 301, headers: ["Location": "/console/"]))
        case ("GET", "/console/"):
            return ConsoleResponse.asset(ConsolePage.html, type: "text/html; charset=utf-8")
        case ("GET", "/console/console.css"):
            return ConsoleResponse.asset(ConsoleStyle.css, type: "text/css; charset=utf-8")
        case ("GET", "/console/console.js"):
            return ConsoleResponse.asset(ConsoleScript.javascript, type: "text/javascript; charset=utf-8")
        case ("POST", "/console/api/session"):
            return await session.signIn(request)
        default:
            break
        }
        guard path.hasPrefix("/console/api/") else { return ConsoleResponse.error(404, "no such page") }
        guard let id = SessionCookie.value(in: request), let current = context.sessions.session(id) else {
            if method == "GET" && path.hasSuffix("/preview") {
                return ConsoleResponse.page(401, "You are not signed in, or your session has ended: sign in again in the console, then open the preview once more.")
            }
            return ConsoleResponse.error(401, "not signed in, or the session has ended; sign in again")
        }
        if ["POST", "PUT", "DELETE", "PATCH"].contains(method) {
            let presented = Array((request.headers["X-CSRF-Token"] ?? "").utf8)
            guard ConstantTime.equals(presented, Array(current.csrfToken.utf8)) else {
                return ConsoleResponse.error(403, "missing or wrong X-CSRF-Token header; reload the page")
            }
        }
        return await route(method, path, request, current)
    }

    private func route(_ method: String, _ path: String, _ request: HTTPRequest, _ current: ConsoleSession) async -> HTTPResponse {
        let parts = path.dropFirst("/console/api/".count).split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        switch (method, parts.first ?? "", parts.count) {
        case ("GET", "session", 1): return session.current(current)
        case ("DELETE", "session", 1): return session.signOut(current)
        case ("GET", "channels", 1): return channels.list(current)
        case ("POST", "channels", 1): return await channels.create(request, current)
        case ("PUT", "channels", 2): return await channels.update(parts[1], request, current)
        case ("DELETE", "channels", 2): return await channels.delete(parts[1], request, current)
        case ("POST", "channels", 3) where parts[2] == "test": return await channels.test(parts[1], request, current)
        case ("GET", "channels", 3) where parts[2] == "preview": return await channels.preview(parts[1], request, current)
        case ("GET", "channels", 3) where parts[2] == "deliveries": return channels.deliveries(parts[1], current)
        case ("POST", "channels", 5) where parts[2] == "dead" && parts[4] == "replay":
            return channels.replay(parts[1], file: parts[3], current)
        case ("GET", "folders", 1): return await folders.list(request, current)
        default: return ConsoleResponse.error(404, "no such API path")
        }
    }
}
