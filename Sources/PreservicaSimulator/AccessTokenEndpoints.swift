import Foundation
import HTTPServer

/// The Access Token API (reference §2) and `GET /api/user/details`.
struct AccessTokenEndpoints: Sendable {
    let core: SimulatorCore

    private var configuration: SimulatorConfiguration { core.configuration }

    /// `POST /api/accesstoken/login` with form fields username, password, tenant, includeUserDetails.
    func login(_ request: HTTPRequest) -> HTTPResponse {
        let form = FormFields.parse(request.body)
        // A user name is one person within a tenant: the same name may be someone else in another.
        let asked = form["tenant"] ?? ""
        guard let user = configuration.everyone.first(where: {
                  $0.username == form["username"] && (asked.isEmpty || asked.uppercased() == tenant(of: $0).uppercased())
              }),
              form["password"] == core.state.withLock({ $0.changedPasswords[owner(user)] }) ?? user.password else {
            return SimulatorResponses.failure(401, "Invalid credentials")
        }
        return issue(includeUserDetails: form["includeUserDetails"] == "true", user: user)
    }

    /// `POST /api/accesstoken/refresh` with form field refreshToken: a new pair; the old refresh token is spent.
    func refresh(_ request: HTTPRequest) -> HTTPResponse {
        let form = FormFields.parse(request.body)
        guard let refreshToken = form["refreshToken"],
              let owner = core.state.withLock({ $0.tokens.owner(of: refreshToken) }),
              core.state.withLock({ $0.tokens.redeem(refreshToken: refreshToken) }) else {
            return SimulatorResponses.failure(401, "Invalid or expired refresh token")
        }
        return issue(includeUserDetails: false, user: user(named: owner))
    }

    /// `GET /api/user/details`: the user the request's token was issued to.
    func userDetails(_ request: HTTPRequest) -> HTTPResponse {
        let owner = Self.presentedToken(request).flatMap { token in core.state.withLock { $0.tokens.owner(of: token) } }
        let user = user(named: owner ?? configuration.username)
        let roles = user.roles.map(JSONText.quoted).joined(separator: ",")
        return .json(200, #"{"userName":\#(JSONText.quoted(user.username)),"fullName":\#(JSONText.quoted(user.fullName)),"#
            + #""email":\#(JSONText.quoted(user.username + "@example.org")),"tenant":\#(JSONText.quoted(tenant(of: user))),"#
            + #""roles":[\#(roles)]}"#)
    }

    /// The tenant `user` belongs to.
    private func tenant(of user: SimulatedUser) -> String { user.tenant ?? configuration.tenant }

    /// The user a token was issued to (``owner(_:)``), else the main user.
    private func user(named owner: String) -> SimulatedUser {
        configuration.everyone.first { self.owner($0) == owner } ?? configuration.everyone.first { $0.username == owner }
            ?? configuration.everyone[0]
    }

    /// Who a token belongs to: the user name within its tenant, since the same name may be
    /// someone else in another tenant.
    private func owner(_ user: SimulatedUser) -> String { user.username + "\u{1F}" + tenant(of: user) }

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

    private func issue(includeUserDetails: Bool, user: SimulatedUser) -> HTTPResponse {
        let lifetime = configuration.tokenLifetime
        let pair = core.state.withLock { $0.tokens.issue(lifetime: lifetime, user: owner(user)) }
        // validFor is whole minutes, as Preservica reports it; at least 1 so clients never see 0.
        let minutes = max(1, Int(lifetime.components.seconds / 60))
        var json = #"{"success":true,"user":\#(JSONText.quoted(user.username)),"token":"\#(pair.access)","#
            + #""refresh-token":"\#(pair.refresh)","validFor":\#(minutes)"#
        if includeUserDetails {
            let roles = user.roles.map(JSONText.quoted).joined(separator: ",")
            json += #","tenant":\#(JSONText.quoted(tenant(of: user))),"tenantValue":\#(JSONText.quoted(tenant(of: user))),"roles":[\#(roles)]"#
        }
        return .json(200, json + "}")
    }
}
