import HTTPServer
import JSON

/// Each service's own error and throttling answers (chat-targets.md §8).
extension ChatSinkReply {
    // MARK: Teams Workflows

    /// A Logic Apps error `{"error":{"code","message"}}`, the shape Workflows answers synchronously.
    public static func teamsWorkflowsError(_ status: Int, code: String, message: String,
                                           retryAfter: Int? = nil) -> ChatSinkReply {
        let headers = retryAfter.map { ["Retry-After": String($0)] } ?? [:]
        return .json(status, #"{"error":{"code":\#(JSONText.quoted(code)),"message":\#(JSONText.quoted(message))}}"#,
                     headers: headers)
    }

    /// Workflows throttling: 429 with a Logic Apps error body and `Retry-After`.
    public static func teamsWorkflowsThrottled(retryAfter: Int = 1) -> ChatSinkReply {
        teamsWorkflowsError(429, code: "WorkflowRequestsThrottled",
                            message: "The workflow has exceeded the maximum number of requests allowed.", retryAfter: retryAfter)
    }

    /// A flow turned off or deleted (by its owner, or by Power Automate: 90 days without a
    /// successful run turn a flow off): 400 `WorkflowTriggerIsNotEnabled`, as reported in
    /// microsoft/coe-starter-kit#8684.
    public static let teamsWorkflowTurnedOff = teamsWorkflowsError(
        400, code: "WorkflowTriggerIsNotEnabled",
        message: "Could not execute workflow '0a1b2c3d4e5f' trigger 'manual' with state 'Disabled': trigger is not enabled.")

    /// A Workflows server failure (500 by default) with a Logic Apps error body.
    public static func teamsWorkflowsServerError(_ status: Int = 500) -> ChatSinkReply {
        teamsWorkflowsError(status, code: "InternalServerError", message: "Encountered internal server error.")
    }

    // MARK: Teams O365 connector

    /// The connector's failure report: **HTTP 200** whose text names the status Teams hit, e.g.
    /// `Webhook message delivery failed with error: Microsoft Teams endpoint returned HTTP error 429 with ContextId …`.
    public static func teamsConnectorError(httpError: Int) -> ChatSinkReply {
        .text(200, TeamsConnectorEndpoint.deliveryFailure(httpError))
    }

    // MARK: Slack

    /// Slack throttling: 429 with `Retry-After` in whole seconds.
    public static func slackThrottled(retryAfter: Int = 1) -> ChatSinkReply {
        .text(429, "", headers: ["Retry-After": String(retryAfter)])
    }

    /// A Slack error: a plain-text code such as `channel_is_archived` (410) or `no_service` (404).
    public static func slackError(_ status: Int, _ code: String) -> ChatSinkReply {
        .text(status, code)
    }

    /// 410 `channel_is_archived`: the webhook's channel is gone for good.
    public static let slackChannelArchived = slackError(410, "channel_is_archived")

    /// 404 `no_service`: the webhook was removed or disabled, or its URL is wrong.
    public static let slackNoService = slackError(404, "no_service")

    /// 400 `invalid_payload`: this message could not be read (a refusal of the message, not the webhook).
    public static let slackInvalidPayload = slackError(400, "invalid_payload")

    // MARK: Google Chat

    /// A Google API error `{"error":{"code","message","status"}}`.
    public static func googleChatError(_ status: Int, _ grpcStatus: String, message: String) -> ChatSinkReply {
        .json(status, """
        {"error":{"code":\(status),"message":\(JSONText.quoted(message)),"status":\(JSONText.quoted(grpcStatus))}}
        """)
    }

    /// Google Chat over quota: 429 `RESOURCE_EXHAUSTED` (no `Retry-After`).
    public static let googleChatThrottled = googleChatError(
        429, "RESOURCE_EXHAUSTED",
        message: "Resource has been exhausted (e.g. check quota).")

    // MARK: Discord

    /// Discord throttling: 429 `{"message","retry_after":<float s>,"global"}` with `Retry-After`
    /// (whole seconds, rounded up) and the `X-RateLimit-*` headers.
    public static func discordThrottled(retryAfter: Double, global: Bool = false) -> ChatSinkReply {
        let seconds = JSONWriter.format(retryAfter)
        var headers = DiscordEndpoint.rateLimitHeaders(remaining: 0, resetAfter: retryAfter)
        headers["Retry-After"] = String(Int(retryAfter.rounded(.up)))
        headers["X-RateLimit-Scope"] = global ? "global" : "user"
        headers["X-RateLimit-Global"] = global ? "true" : "false"
        return .json(429, #"{"message":"You are being rate limited.","retry_after":\#(seconds),"global":\#(global)}"#,
                     headers: headers)
    }

    /// A Discord error `{"message","code"}`, e.g. 404 / 10015 `Unknown Webhook`.
    public static func discordError(_ status: Int, code: Int, message: String) -> ChatSinkReply {
        .json(status, #"{"message":\#(JSONText.quoted(message)),"code":\#(code)}"#)
    }

    /// 404 `{"code":10015,"message":"Unknown Webhook"}`: the webhook was deleted.
    public static let discordUnknownWebhook = discordError(404, code: 10015, message: "Unknown Webhook")

    // MARK: Mattermost

    /// Mattermost throttling (only when an admin enabled it): 429 with `X-Ratelimit-*` headers.
    public static func mattermostThrottled(retryAfter: Int = 1) -> ChatSinkReply {
        .text(429, "limit exceeded\n", headers: [
            "X-Ratelimit-Limit": "10", "X-Ratelimit-Remaining": "0", "X-Ratelimit-Reset": String(retryAfter),
            "Retry-After": String(retryAfter),
        ])
    }

    /// A Mattermost AppError `{"id","message","detailed_error","request_id","status_code"}`.
    public static func mattermostError(_ status: Int, id: String, message: String) -> ChatSinkReply {
        .json(status, MattermostEndpoint.appError(status, id: id, message: message))
    }

    /// A deleted hook: 400 `web.incoming_webhook.invalid.app_error` (mattermost/mattermost,
    /// `HandleIncomingWebhook`).
    public static let mattermostHookInvalid = mattermostError(400, id: "web.incoming_webhook.invalid.app_error", message: "Invalid webhook.")

    /// Incoming webhooks turned off by an administrator: 501 `web.incoming_webhook.disabled.app_error`.
    public static let mattermostHooksDisabled = mattermostError(501, id: "web.incoming_webhook.disabled.app_error",
                                                                message: "Incoming webhooks have been disabled by the system admin.")

    // MARK: Matrix

    /// A Matrix error `{"errcode","error"}`.
    public static func matrixError(_ status: Int, errcode: String, error: String) -> ChatSinkReply {
        .json(status, #"{"errcode":\#(JSONText.quoted(errcode)),"error":\#(JSONText.quoted(error))}"#)
    }

    /// 403 `M_FORBIDDEN`: the account was removed from the room, or may not post there.
    public static let matrixNotInRoom = matrixError(403, errcode: "M_FORBIDDEN", error: "User @relay:sink.local not in room !relay:sink.local")

    /// 401 `M_UNKNOWN_TOKEN`: the access token was revoked (logged out) or expired.
    public static let matrixUnknownToken = matrixError(401, errcode: "M_UNKNOWN_TOKEN", error: "Invalid access token passed.")

    /// 429 `M_LIMIT_EXCEEDED` with `retry_after_ms` and `Retry-After` (whole seconds, rounded up).
    public static func matrixLimitExceeded(retryAfterMs: Int) -> ChatSinkReply {
        .json(429, #"{"errcode":"M_LIMIT_EXCEEDED","error":"Too Many Requests","retry_after_ms":\#(retryAfterMs)}"#,
              headers: ["Retry-After": String((retryAfterMs + 999) / 1000)])
    }

    // MARK: Any target

    /// A bare failure such as 500, 502 or 503, with a short text body.
    public static func serverError(_ status: Int = 500, retryAfter: Int? = nil) -> ChatSinkReply {
        .text(status, HTTPStatus.reason(status), headers: retryAfter.map { ["Retry-After": String($0)] } ?? [:])
    }

    /// 410 Gone, which Standard Webhooks says means "disable this endpoint".
    public static let gone = ChatSinkReply.text(410, "Gone")
}
