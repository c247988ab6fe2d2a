import HTTPServer

/// The simulator's request handler: logs the request, applies faults, checks the token and
/// hands the request to the endpoint group its path belongs to.
struct SimulatorDispatcher: HTTPHandler {
    let core: SimulatorCore
    private let accessTokens: AccessTokenEndpoints
    private let entities: EntityEndpoints
    private let webhooks: WebhookEndpoints

    init(core: SimulatorCore) {
        self.core = core
        accessTokens = AccessTokenEndpoints(core: core)
        entities = EntityEndpoints(core: core)
        webhooks = WebhookEndpoints(core: core)
    }

    func handle(_ request: HTTPRequest) async -> HTTPResponse {
        let method = request.method == "HEAD" ? "GET" : request.method
        let route = SimulatorRoute(path: request.path)
        let arrival = core.arrive("\(request.method) \(request.path)", route: route, method: method)
        if arrival.faults.latency > .zero { try? await Task.sleep(for: arrival.faults.latency) }
        // An outage, a failed login or an Entity API failure stands for a struggling server or
        // gateway, so it comes before the token check.
        if let failure = arrival.failure { return SimulatorResponses.injected(failure, retryAfter: arrival.faults.retryAfter) }

        switch route {
        case .login:
            guard method == "POST" else { return SimulatorResponses.methodNotAllowed("POST") }
            return accessTokens.login(request)
        case .refresh:
            guard method == "POST" else { return SimulatorResponses.methodNotAllowed("POST") }
            return accessTokens.refresh(request)
        case .userDetails:
            guard method == "GET" else { return SimulatorResponses.methodNotAllowed("GET") }
            return accessTokens.refusal(request) ?? accessTokens.userDetails(request)
        case .entity(let route, let version):
            guard method == "GET" else { return SimulatorResponses.methodNotAllowed("GET") }
            if let refusal = accessTokens.refusal(request) { return refusal }
            let base = origin(request) + "/api/entity" + (version.map { "/v\($0)" } ?? "")
            return entities.answer(route, request: request, version: version, base: base)
        case .subscriptions:
            if let refusal = accessTokens.refusal(request) ?? webhooks.roleRefusal() { return refusal }
            switch method {
            case "GET": return webhooks.list()
            case "POST": return await webhooks.create(request)
            default: return SimulatorResponses.methodNotAllowed("GET, POST")
            }
        case .subscription(let id):
            guard method == "DELETE" else { return SimulatorResponses.methodNotAllowed("DELETE") }
            if let refusal = accessTokens.refusal(request) ?? webhooks.roleRefusal() { return refusal }
            return webhooks.delete(id: id)
        case .unknown:
            return SimulatorResponses.notFound("path \(request.path)")
        }
    }

    /// `http://<Host>` as the client addressed the simulator, so embedded links work whatever name it used.
    private func origin(_ request: HTTPRequest) -> String {
        if let host = request.headers["Host"], !host.isEmpty, !host.contains("/"), !host.contains(" ") {
            return "http://\(host)"
        }
        return core.baseURL
    }
}
