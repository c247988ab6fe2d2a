import Foundation
import HTTPServer
import JSON

/// The sink's request handler: finds the service by path, answers with a scripted reply if one
/// is queued or else as that service would, and records the exchange.
struct ChatSinkDispatcher: HTTPHandler {
    let core: ChatSinkCore

    /// Query parameters that are credentials, redacted in recordings.
    static let secretParameters: Set<String> = ["sig", "key", "token", "access_token"]

    func handle(_ request: HTTPRequest) async -> HTTPResponse {
        let route = ChatSinkRoute(path: request.path)
        // The scripted reply is taken under the lock that logs the request, so a test that has
        // seen the request knows which reply it met.
        let scripted = core.state.withLock { state -> ChatSinkReply? in
            state.requestLog.append("\(request.method) \(request.path)")
            guard let route, request.method == route.method else { return nil }
            return state.scriptedReply(target: route.target, path: request.path)
        }
        guard let route else {
            return .text(404, "no chat target at \(request.path)")
        }
        let now = Date()
        let json = ChatSinkPayload.json(request.body, contentType: request.headers["Content-Type"])
        let answer: ChatSinkAnswer
        if request.method != route.method {
            answer = .rejected(methodNotAllowed(route), "method \(request.method)")
        } else if let reply = scripted {
            // Discord's units depend on the API version the path names.
            let shaped = route.target == .discord ? DiscordEndpoint.forVersion(reply, path: request.path) : reply
            answer = ChatSinkAnswer(response: shaped.response, outcome: .scripted)
        } else {
            answer = serviceAnswer(route, request, json: json, now: now)
        }
        core.record(ChatSinkMessage(
            target: route.target, method: request.method, path: request.path, query: redactedQuery(request),
            headers: lowercasedHeaders(request.headers), body: request.body, json: json, receivedAt: now,
            status: answer.response.status, responseBody: answer.response.body, outcome: answer.outcome))
        return answer.response
    }

    private func serviceAnswer(_ route: ChatSinkRoute, _ request: HTTPRequest, json: JSONValue?, now: Date) -> ChatSinkAnswer {
        switch route {
        case .teamsWorkflow: TeamsWorkflowsEndpoint(core: core).answer(request, json: json)
        case .teamsConnector: TeamsConnectorEndpoint().answer(request, json: json)
        case .slack: SlackEndpoint().answer(request, json: json)
        case .googleChat(let space): GoogleChatEndpoint(core: core).answer(request, space: space, json: json, now: now)
        case .discord(let id): DiscordEndpoint(core: core).answer(request, webhookID: id, json: json, now: now)
        case .mattermost: MattermostEndpoint().answer(request, json: json)
        case .matrix(let room, let transaction):
            MatrixEndpoint(core: core).answer(request, room: room, transaction: transaction, json: json, now: now)
        case .webhook: GenericWebhookEndpoint(core: core).answer(request, now: now)
        }
    }

    private func methodNotAllowed(_ route: ChatSinkRoute) -> HTTPResponse {
        var response = route.target == .matrix
            ? ChatSinkReply.matrixError(405, errcode: "M_UNRECOGNIZED", error: "Unrecognized request").response
            : HTTPResponse.text(405, "Method Not Allowed")
        response.headers.set(name: "Allow", value: route.method)
        return response
    }

    private func redactedQuery(_ request: HTTPRequest) -> [String: String] {
        var parameters: [String: String] = [:]
        for pair in (request.query ?? "").split(separator: "&") {
            let name = String(pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)[0])
            guard let decoded = name.removingPercentEncoding, parameters[decoded] == nil else { continue }
            parameters[decoded] = Self.secretParameters.contains(decoded) ? "REDACTED" : request.queryParameter(decoded) ?? ""
        }
        return parameters
    }

    private func lowercasedHeaders(_ headers: HTTPHeaders) -> [String: String] {
        var fields: [String: String] = [:]
        for field in headers {
            let name = field.name.lowercased()
            fields[name] = fields[name].map { $0 + ", " + field.value } ?? field.value
        }
        return fields
    }
}
