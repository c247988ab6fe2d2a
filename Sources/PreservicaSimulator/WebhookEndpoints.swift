import HTTPServer
import JSON

/// The Webhook API (reference §1.2): list, create (with the challenge handshake) and delete subscriptions.
///
/// Statuses the simulator chooses where Preservica's are unknown: 403 when the user lacks a webhook
/// role; 400 with `{"success":false,"message":...}` for a malformed body and for a failed challenge
/// (the message starts with "subscription verification failed").
struct WebhookEndpoints: Sendable {
    let core: SimulatorCore

    /// Roles that may manage subscriptions (pyPreservica's client-side check).
    static let permittedRoles: Set<String> = ["ROLE_SDB_ADMIN_USER", "ROLE_SDB_MANAGER_USER", "ROLE_SDB_CONFIG_MANAGER_USER"]
    /// The trigger wire values Preservica knows.
    static let triggers: Set<String> = ["FULL_TEXT_INDEXED", "MOVED", "CHANGED_SECURITY_DESCRIPTOR", "INGEST_FAILED", "CHANGE_ASSET_VISIBILITY"]

    /// nil when the configured user may manage subscriptions, else the 403.
    func roleRefusal() -> HTTPResponse? {
        if Self.permittedRoles.isDisjoint(with: core.configuration.roles) {
            return SimulatorResponses.failure(403, "managing webhooks needs ROLE_SDB_MANAGER_USER or ROLE_SDB_CONFIG_MANAGER_USER")
        }
        return nil
    }

    /// `GET /api/webhook/subscriptions`: a JSON array.
    func list() -> HTTPResponse {
        let subscriptions = core.state.withLock { $0.subscriptions }
        return .json(200, "[" + subscriptions.map(\.json).joined(separator: ",") + "]")
    }

    /// `POST /api/webhook/subscriptions`: verifies the receiver before storing anything.
    func create(_ request: HTTPRequest) async -> HTTPResponse {
        guard let body = try? JSONParser.parse(request.body).objectValue else {
            return SimulatorResponses.failure(400, "the body must be a JSON object")
        }
        guard let urlText = body["url"]?.stringValue, let url = OutboundHTTPClient.httpURL(urlText) else {
            return SimulatorResponses.failure(400, "url must be an absolute http or https URL")
        }
        guard let trigger = body["triggerType"]?.stringValue, Self.triggers.contains(trigger) else {
            return SimulatorResponses.failure(400, "triggerType must be one of \(Self.triggers.sorted().joined(separator: ", "))")
        }
        guard let secret = body["secret"]?.stringValue, !secret.isEmpty else {
            return SimulatorResponses.failure(400, "secret is required")
        }
        // pyPreservica sends the string "true"; Preservica answers with a boolean.
        let includeIdentifiers: Bool
        switch body["includeIdentifiers"] {
        case nil, .null?: includeIdentifiers = false
        case .bool(let flag)?: includeIdentifiers = flag
        case .string(let text)? where text.lowercased() == "true" || text.lowercased() == "false":
            includeIdentifiers = text.lowercased() == "true"
        default: return SimulatorResponses.failure(400, "includeIdentifiers must be true or false")
        }
        if let problem = await SubscriptionChallenge.run(url: url, secret: secret) {
            return SimulatorResponses.failure(400, "subscription verification failed: \(problem)")
        }
        let subscription = SimulatedSubscription(id: RandomIdentifier.hex32(), url: urlText, triggerType: trigger,
                                                 includeIdentifiers: includeIdentifiers, secret: secret)
        core.state.withLock { $0.subscriptions.append(subscription) }
        return .json(200, subscription.json)
    }

    /// `DELETE /api/webhook/subscriptions/{id}`: 204, or 404 for an unknown id.
    func delete(id: String) -> HTTPResponse {
        let removed = core.state.withLock { state in
            guard let index = state.subscriptions.firstIndex(where: { $0.id == id }) else { return false }
            state.subscriptions.remove(at: index)
            return true
        }
        return removed ? HTTPResponse(status: 204) : SimulatorResponses.failure(404, "no subscription \(id)")
    }
}
