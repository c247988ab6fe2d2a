import Foundation
import JSON
import OutboundHTTP

/// Checks a person's own user name, password and tenant against Preservica's Access Token API and
/// reads their roles from `GET /api/user/details`.
///
/// The password goes into one login request and nowhere else; the token it yields is used for the
/// details call and then dropped, so nothing Preservica issued outlives the sign-in.
public struct UserSignIn: Sendable {
    private let baseURL: URL
    private let client: OutboundClient
    private let timeout: Duration

    /// Signs people in at `baseURL` (the relay's configured server).
    public init(baseURL: URL, client: OutboundClient = OutboundClient(maxConnectionsPerHost: 4), timeout: Duration = .seconds(15)) {
        self.baseURL = baseURL
        self.client = client
        self.timeout = timeout
    }

    /// The user, or ``PreservicaError/loginRefused(_:)`` when the user name, password or tenant is
    /// wrong (which one is never said), ``PreservicaError/twoFactorRequired``, or a transport error.
    public func signIn(username: String, password: String, tenant: String?) async throws(PreservicaError) -> PreservicaUser {
        var form = [("username", username), ("password", password)]
        if let tenant, !tenant.isEmpty { form.append(("tenant", tenant)) }
        let body = form.map { "\(Self.formEncode($0.0))=\(Self.formEncode($0.1))" }.joined(separator: "&")
        let login = OutboundRequest(method: "POST", url: url("api/accesstoken/login"),
                                    headers: ["Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"],
                                    body: Array(body.utf8), timeout: timeout)
        let reply = try await send(login)
        let json = (try? JSONParser.parse(reply.body))?.objectValue
        let message = json?["message"]?.stringValue
        if message == "needs.2fa" || message == "needs.2fa.setup" { throw .twoFactorRequired }
        guard reply.status == 200, let token = json?["token"]?.stringValue, !token.isEmpty else {
            if reply.status == 401 || reply.status == 403 || json?["success"] == .bool(false) { throw .loginRefused("invalid credentials") }
            throw .http(status: reply.status, "at the login")
        }
        let details = OutboundRequest(method: "GET", url: url("api/user/details"),
                                      headers: ["Preservica-Access-Token": token, "Accept": "application/json"], timeout: timeout)
        let answer = try await send(details)
        guard answer.status == 200, let user = (try? JSONParser.parse(answer.body))?.objectValue else {
            throw .http(status: answer.status, "at the user details")
        }
        let roles = user["roles"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let name = user["userName"]?.stringValue ?? json?["user"]?.stringValue ?? username
        return PreservicaUser(username: name, fullName: user["fullName"]?.stringValue ?? name,
                              tenant: user["tenant"]?.stringValue ?? json?["tenant"]?.stringValue ?? tenant ?? "", roles: roles)
    }

    private func url(_ path: String) -> URL {
        URL(string: baseURL.absoluteString + "/" + path) ?? baseURL.appendingPathComponent(path)
    }

    private func send(_ request: OutboundRequest) async throws(PreservicaError) -> OutboundReply {
        do {
            return try await client.send(request)
        } catch {
            throw .from(error)
        }
    }

    private static func formEncode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._*")
        return (text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text).replacingOccurrences(of: "%20", with: "+")
    }
}
