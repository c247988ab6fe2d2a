import Foundation
import HTTPServer
import JSON
import Preservica
import Relay

/// `POST`, `GET` and `DELETE /console/api/session`: sign in, who am I, sign out.
struct SessionEndpoints: Sendable {
    let context: ConsoleContext

    /// Checks the credentials with Preservica, then the roles; starts a session and sets its cookie.
    /// Every wrong-credential failure reads the same, so nothing says which part was wrong.
    func signIn(_ request: HTTPRequest) async -> HTTPResponse {
        // A page on another site can post a form, but not JSON without the browser asking first:
        // so nobody is signed in to an account they did not choose.
        guard request.headers["Content-Type"]?.lowercased().hasPrefix("application/json") == true else {
            return ConsoleResponse.error(415, "send the sign-in as JSON (Content-Type: application/json)")
        }
        guard let body = (try? JSONParser.parse(request.body))?.objectValue else {
            return ConsoleResponse.error(400, "expected a JSON object {username, password, tenant?}")
        }
        guard let username = body["username"]?.stringValue?.trimmingCharacters(in: .whitespaces), !username.isEmpty,
              username.count <= 256 else {
            return ConsoleResponse.error(400, "required: your Preservica user name", field: "username")
        }
        guard let password = body["password"]?.stringValue, !password.isEmpty, password.count <= 1024 else {
            return ConsoleResponse.error(400, "required: your Preservica password", field: "password")
        }
        let given = body["tenant"]?.stringValue?.trimmingCharacters(in: .whitespaces) ?? ""
        let address = Self.clientAddress(request, trusting: context.settings.trustedProxies)
        // Another tenant than the relay's is refused before any password is checked: it could not
        // lead to a session, and a server that ignored a tenant it does not hold would otherwise
        // give each made-up tenant name its own count of guesses at this tenant's user.
        guard let served = await context.servedTenant() else {
            // Not named, and the relay's own login did not say (it failed): whoever signs in could
            // be of any tenant on the server, so nobody is let in until one of them is known.
            context.logger.repeating(.warning, "console sign-in refused: the relay's tenant is not known", key: "", ["user": username, "address": address])
            return ConsoleResponse.error(503, "the relay cannot tell which Preservica tenant it serves (preservica.tenant is not set, "
                + "and its own sign-in to Preservica failed or did not name one); try again later, or ask an administrator")
        }
        if !given.isEmpty, given.uppercased() != served.uppercased() {
            context.logger.repeating(.warning, "console sign-in naming another tenant", key: "", ["user": username, "address": address])
            return Self.otherTenant
        }
        // A user name is one person within a tenant: failures are counted per name in the relay's
        // tenant, however the tenant was written (or left out).
        let counted = username + "@" + served.uppercased()
        if let wait = context.limiter.begin(user: counted, address: address) {
            context.logger.repeating(.warning, "console sign-in refused: too many failures", key: "", ["user": username, "address": address])
            let minutes = max(1, (wait.components.seconds + 59) / 60)
            var response = ConsoleResponse.error(429, "too many failed sign-ins; try again in \(minutes) minute(s)")
            response.headers.set(name: "Retry-After", value: String(max(1, wait.components.seconds)))
            return response
        }
        guard let authenticator = context.authenticator else {
            context.limiter.withdraw(user: counted, address: address)
            return ConsoleResponse.error(503, "the relay has no Preservica server configured, so nobody can sign in")
        }
        let user: PreservicaUser
        do {
            user = try await authenticator.signIn(username: username, password: password, tenant: served)
        } catch .unreachable, .http, .invalidResponse {
            context.limiter.withdraw(user: counted, address: address)
            return ConsoleResponse.error(502, "Preservica could not be reached to check your sign-in; try again later")
        } catch {
            // Counted as a failure when it was taken.
            context.logger.repeating(.warning, "console sign-in failed", key: "", ["user": username, "address": address])
            return ConsoleResponse.error(401, "sign-in failed: check your user name, password and tenant")
        }
        // A server such as eu.preservica.com holds many tenants: only this relay's may manage its
        // channels, and a user name means one person only within a tenant. Checked before the
        // attempt counts as a success, or the same name in another tenant could clear this
        // tenant's user's failures.
        if user.tenant.uppercased() != served.uppercased() {
            context.logger.warning("console sign-in from another tenant", ["user": user.username, "tenant": user.tenant, "address": address])
            return Self.otherTenant
        }
        context.limiter.succeeded(user: counted, address: address)
        let permitted = Set(context.settings.roles + context.settings.adminRoles)
        guard user.roles.contains(where: permitted.contains) else {
            context.logger.warning("console sign-in without a permitted role", ["user": user.username, "address": address])
            return ConsoleResponse.error(403, "your Preservica account has no role that may manage notifications (one of "
                + context.settings.roles.joined(separator: ", ") + "); ask your Preservica administrator")
        }
        context.sessions.sweep()
        let session = context.sessions.create(for: user, isAdmin: user.roles.contains(where: context.settings.adminRoles.contains))
        context.logger.info("console sign-in", ["user": user.username, "address": address, "admin": String(session.isAdmin)])
        var response = ConsoleResponse.json(200, describe(session))
        response.headers.append(name: "Set-Cookie", value: SessionCookie.set(session.id, maxAge: context.sessions.lifetime,
                                                                              secure: !context.settings.allowInsecureHTTP))
        return response
    }

    private static var otherTenant: HTTPResponse {
        ConsoleResponse.error(403, "your Preservica account belongs to another tenant than the one this relay serves")
    }

    /// Who is signed in, with the CSRF token (the page needs it again after a reload).
    func current(_ session: ConsoleSession) -> HTTPResponse {
        ConsoleResponse.json(200, describe(session))
    }

    /// Ends the session and clears the cookie.
    func signOut(_ session: ConsoleSession) -> HTTPResponse {
        context.sessions.end(session.id)
        context.logger.info("console sign-out", ["user": session.user.username])
        var response = ConsoleResponse.json(200, .object(JSONObject([("signedOut", .bool(true))])))
        response.headers.append(name: "Set-Cookie", value: SessionCookie.clear(secure: !context.settings.allowInsecureHTTP))
        return response
    }

    /// The session as the page reads it, with the security tags a channel made here may take.
    func describe(_ session: ConsoleSession) -> JSONValue {
        .object(JSONObject([
            ("csrfToken", .string(session.csrfToken)),
            ("channelSecurityTags", .array(context.settings.browseSecurityTags.map(JSONValue.string))),
            ("user", .object(JSONObject([("username", .string(session.user.username)), ("fullName", .string(session.user.fullName)),
                                         ("tenant", .string(session.user.tenant)),
                                         ("roles", .array(session.user.roles.map(JSONValue.string))), ("isAdmin", .bool(session.isAdmin))]))),
        ]))
    }

    /// The address to count failures against: the peer, or when the peer is a proxy on this host
    /// or one of `trusted` (`console.trustedProxies`), the last address it put in
    /// `X-Forwarded-For` (the one it saw).
    static func clientAddress(_ request: HTTPRequest, trusting trusted: [AddressRange] = []) -> String {
        let peer = request.peerAddress
        // A proxy on this host reaching a relay that listens on `[::]` arrives as `[::ffff:127.…]`.
        let loopback = peer.hasPrefix("127.") || peer.hasPrefix("[::1]") || peer.hasPrefix("[::ffff:127.")
        if loopback || trusted.contains(where: { $0.contains(peer: peer) }), let forwarded = request.headers.values(for: "X-Forwarded-For").last?.split(separator: ",").last {
            let address = forwarded.trimmingCharacters(in: .whitespaces)
            if !address.isEmpty && address.count <= 64 { return address }
        }
        return peer
    }
}
