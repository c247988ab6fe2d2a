import Foundation
import HTTPServer
import JSON

/// Teams Workflows: the "When a Teams webhook request is received" trigger. It checks the URL's
/// `api-version` and `sig` synchronously and answers 202; what the flow then does with the body
/// is invisible to the sender, so a wrong envelope is still 202 but recorded as silently failed.
struct TeamsWorkflowsEndpoint {
    let core: ChatSinkCore

    /// Where the flow starts dropping messages. Microsoft documents "approximately 28 KB", but a
    /// Workflows flow fails on messages over about 21 KB after the trigger has answered 202.
    static let sizeLimit = 21_000

    func answer(_ request: HTTPRequest, json: JSONValue?) -> ChatSinkAnswer {
        guard request.queryParameter("api-version") != nil else {
            return .rejected(ChatSinkReply.teamsWorkflowsError(
                400, code: "MissingApiVersionParameter",
                message: "The api-version query parameter (?api-version=) is required for all requests.").response,
                "no api-version")
        }
        guard let signature = request.queryParameter("sig"), signature == core.configuration.teamsSignature else {
            return .rejected(ChatSinkReply.teamsWorkflowsError(
                401, code: "DirectApiAuthorizationRequired",
                message: "The request must be authenticated only by Shared Access scheme.").response,
                "missing or wrong sig")
        }
        let serial = core.state.withLock { $0.nextSerial() }
        let accepted = HTTPResponse(status: 202, headers: [
            "x-ms-workflow-run-id": "08584\(String(1_000_000_000_000 + serial))CU00",
            "x-ms-trigger-history-name": "08584\(String(1_000_000_000_000 + serial))CU00",
        ])
        if let problem = Self.envelopeProblem(json, size: request.body.count) {
            return ChatSinkAnswer(response: accepted, outcome: .silentlyFailed(problem))
        }
        if core.configuration.teamsBotLimits, let broken = core.state.withLock({ state -> TeamsBotAllowance.Window? in
            var allowance = state.teamsAllowances[request.path] ?? TeamsBotAllowance()
            defer { state.teamsAllowances[request.path] = allowance }
            return allowance.take(at: .now)
        }) {
            return ChatSinkAnswer(response: accepted, outcome: .silentlyFailed(
                "the flow's post was throttled (429: the Flow bot posted \(broken.posts) in \(Int(broken.seconds)) s in this channel already)"))
        }
        return .delivered(accepted)
    }

    /// Why the stock "Post to a channel" flow would fail on this body, or nil when it would post it.
    static func envelopeProblem(_ json: JSONValue?, size: Int) -> String? {
        guard let envelope = json?.objectValue else { return "ExpressionEvaluationFailed: the trigger body is not a JSON object" }
        guard let attachments = envelope["attachments"]?.arrayValue else {
            return "ExpressionEvaluationFailed: the result of the evaluation of 'foreach' expression "
                + "'@triggerOutputs()?['body']?['attachments']' is of type 'Null'. The result must be a valid array."
        }
        guard envelope["type"]?.stringValue == "message" else { return "the envelope's type is not \"message\"" }
        guard !attachments.isEmpty else { return "attachments is empty: nothing is posted" }
        for attachment in attachments {
            guard attachment.objectValue?["contentType"]?.stringValue == "application/vnd.microsoft.card.adaptive" else {
                return "an attachment's contentType is not application/vnd.microsoft.card.adaptive"
            }
            guard let card = attachment.objectValue?["content"]?.objectValue, card["type"]?.stringValue == "AdaptiveCard" else {
                return "an attachment's content is not an AdaptiveCard object"
            }
            if let version = card["version"]?.stringValue, !supported(version) {
                return "We're sorry, this card couldn't be displayed (Adaptive Card version \(version) above 1.4)"
            }
        }
        if size > sizeLimit { return "Request Entity too large (\(size) bytes; the flow drops messages over about 21 KB)" }
        return nil
    }

    /// Whether Workflows renders cards of `version` (1.4 at most, in practice).
    private static func supported(_ version: String) -> Bool {
        let parts = version.split(separator: ".").compactMap { Int($0) }
        guard let major = parts.first else { return false }
        return major < 1 || (major == 1 && (parts.count < 2 || parts[1] <= 4))
    }
}
