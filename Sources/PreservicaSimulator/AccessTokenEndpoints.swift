import Foundation
import HTTPServer

/// The Access Token API (reference §2) and `GET /api/user/details`.
struct AccessTokenEndpoints: Sendable {
    let core: SimulatorCore

    private var configuration: SimulatorConfiguration { core.configuration }

    /// `POST /api/accesstoken/login` with form fields username, password, tenant, includeUserDetails.
    func login(_ request: HTTPRequest) -> HTTPResponse {
        let form = FormFields.parse(request.body)
        guard form["username"] == configuration.username, form["password"] == configuration.password else {
            return SimulatorResponses.failure(401, "Invalid credentials")
        }
        if let tenant = form["tenant"], !tenant.isEmpty, tenant.uppercased() != configuration.tenant.uppercased() {
            return SimulatorResponses.failure(401, "Invalid credentials")
        }
        return issue(includeUserDetails: form["includeUserDetails"] == "true")
    }

    /// `POST /api/accesstoken/refresh` with form field refreshToken: a new pair; the old refresh token is spent.
    func refresh(_ request: HTTPRequest) -> HTTPResponse {
        let form = FormFields.parse(request.body)
        guard let refreshToken = form["refreshToken"],
              core.state.withLock({ $0.tokens.redeem(refreshToken: refreshToken) }) else {
            return SimulatorResponses.failure(401, "Invalid or expired refresh token")
        }
        return issue(includeUserDetails: false)
    }

    /// `GET /api/user/details`.
    func userDetails() -> HTTPResponse {
        let roles = configuration.roles.map(JSONText.quoted).joined(separator: ",")
        return .json(200, #"{"userName":\#(JSONText.quoted(configuration.username)),"fullName":\#(JSONText.quoted(configuration.username)),"#
            + #""email":\#(JSONText.quoted(configuration.username + "@example.org")),"tenant":\#(JSONText.quoted(configuration.tenant)),"#
            + #""roles":[\#(roles)]}"#)
    }

    /// nil when the request carries a live token, else the 401 to answer.
    func refusal(_ request: HTTPRequest) -> HTTPResponse? {
        guard let token = Self.presentedToken(request), core.state.withLock({ $0.tokens.isLive(token) }) else {
            return SimulatorResponses.unauthorized
        }
        return nil
    }

    /// The token from `Preservica-Access-Token`, or else from `Authorization: Bearer`.
    static func presentedToken(_ request: HTTPRequest) -> String? {
        if let token = request.headers["Preservica-Access-Token"], !token.isEmpty { return token }
        if let authorization = request.headers["Authorization"], authorization.lowercased().hasPrefix("bearer ") {
            return String(authorization.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        }
        return nil
    }

    private func issue(includeUserDetails: Bool) -> HTTPResponse {
        let lifetime = configuration.tokenLifetime
        let pair = core.state.withLock { $0.tokens.issue(lifetime: lifetime) }
        // validFor is whole minutes, as Preservica reports it; at least 1 so clients never see 0.
        let minutes = max(1, Int(lifetime.components.seconds / 60))
        var json = #"{"success":true,"user":\#(JSONText.quoted(configuration.username)),"token":"\#(pair.access)","#
            + #""refresh-token":"\#(pair.refresh)","validFor":\#(minutes)"#
        if includeUserDetails {
            let roles = configuration.roles.map(JSONText.quoted).joined(separator: ",")
            json += #","tenant":\#(JSONText.quoted(configuration.tenant)),"tenantValue":\#(JSONText.quoted(configuration.tenant)),"roles":[\#(roles)]"#
        }
        return .json(200, json + "}")
    }
}
