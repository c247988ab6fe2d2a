import Testing
import ChatTargets
import OutboundHTTP
import Foundation

@Suite("Reading chat services' replies")
struct ReplyReadingTests {
    private func reply(_ status: Int, _ body: String = "", headers: [String: String] = [:]) -> OutboundReply {
        OutboundReply(status: status, headers: headers, body: Array(body.utf8))
    }

    @Test("the legacy connector's 200 with an error in the text")
    func connector() {
        let target = ChatTargetKind.teamsConnector.target
        #expect(target.outcome(of: reply(200, "1")) == .delivered)
        #expect(target.outcome(of: reply(200, "Microsoft Teams endpoint returned HTTP error 429 with ContextId tcid=0")) ==
            .retry(after: nil, reason: "Teams connector reported HTTP error 429"))
        guard case .rejected = target.outcome(of: reply(200, "Webhook message delivery failed with error: Microsoft Teams endpoint returned HTTP error 400")) else {
            Issue.record("a reported 400 must be permanent")
            return
        }
    }

    /// Each service's own words for "this address takes no more posts", as their documentation
    /// and code give them (docs/targets.md): the channel's cards wait for a new address instead of
    /// each being posted and refused. A refusal of one message is not one of them.
    @Test("a reply that says the channel's address is gone is read as gone on every service that says so; a refused message is not")
    func gone() {
        func isGone(_ kind: ChatTargetKind, _ status: Int, _ body: String) -> Bool {
            if case .gone = kind.target.outcome(of: reply(status, body)) { return true }
            return false
        }
        #expect(isGone(.teams, 400, #"{"error":{"code":"WorkflowTriggerIsNotEnabled","message":"Could not execute workflow 'x' trigger 'manual' with state 'Disabled': trigger is not enabled."}}"#))
        #expect(isGone(.teams, 404, #"{"error":{"code":"WorkflowNotFound","message":"The workflow 'x' could not be found."}}"#))
        #expect(!isGone(.teams, 400, #"{"error":{"code":"InvalidRequestContent","message":"The request content is not valid."}}"#))
        for code in ["no_service", "channel_not_found", "channel_is_archived", "action_prohibited", "invalid_token", "team_disabled"] {
            #expect(isGone(.slack, code == "channel_is_archived" || code == "team_disabled" ? 410 : 404, code), "\(code)")
        }
        #expect(!isGone(.slack, 400, "invalid_payload") && !isGone(.slack, 400, "invalid_blocks"))
        #expect(isGone(.discord, 404, #"{"message": "Unknown Webhook", "code": 10015}"#))
        #expect(isGone(.discord, 401, #"{"message": "Invalid Webhook Token", "code": 50027}"#))
        #expect(!isGone(.discord, 404, #"{"message": "Unknown Channel", "code": 10003}"#) && !isGone(.discord, 400, #"{"code": 50035}"#))
        #expect(isGone(.mattermost, 400, #"{"id":"web.incoming_webhook.invalid.app_error","message":"Invalid webhook.","status_code":400}"#))
        #expect(isGone(.mattermost, 501, #"{"id":"web.incoming_webhook.disabled.app_error","message":"Incoming webhooks have been disabled by the system admin.","status_code":501}"#))
        #expect(!isGone(.mattermost, 400, #"{"id":"web.incoming_webhook.text.app_error","message":"No text specified","status_code":400}"#))
        #expect(isGone(.matrix, 403, #"{"errcode":"M_FORBIDDEN","error":"User @relay:example.org not in room"}"#))
        #expect(isGone(.matrix, 401, #"{"errcode":"M_UNKNOWN_TOKEN","error":"Invalid access token passed.","soft_logout":false}"#))
        #expect(isGone(.matrix, 403, #"{"errcode":"M_FORBIDDEN","error":"You don't have permission to post that to the room. user_level (0) < send_level (50)"}"#))
        // A spam checker refuses one message, not the room.
        #expect(!isGone(.matrix, 403, #"{"errcode":"M_FORBIDDEN","error":"This message had been rejected as probable spam"}"#))
        #expect(!isGone(.matrix, 400, #"{"errcode":"M_BAD_JSON","error":"bad"}"#) && !isGone(.matrix, 413, #"{"errcode":"M_TOO_LARGE"}"#))
        #expect(isGone(.webhook, 410, "Gone") && !isGone(.webhook, 400, "bad"))
        // A disabled Mattermost hook was a 5xx, and so retried card after card.
        #expect(!isGone(.mattermost, 503, ""))
    }

    @Test("a throttled reply, which does not count as one of a card's attempts: 429, and the connector's 200 reporting 429")
    func throttled() {
        #expect(ChatTargetKind.slack.target.isThrottled(reply(429)))
        #expect(!ChatTargetKind.slack.target.isThrottled(reply(503)))
        let connector = ChatTargetKind.teamsConnector.target
        #expect(connector.isThrottled(reply(200, "Microsoft Teams endpoint returned HTTP error 429 with ContextId tcid=0")))
        #expect(!connector.isThrottled(reply(200, "1")))
        #expect(!connector.isThrottled(reply(200, "Microsoft Teams endpoint returned HTTP error 500")))
    }

    @Test("Retry-After as seconds or as an HTTP date, capped at 15 minutes")
    func retryAfter() {
        let slack = ChatTargetKind.slack.target
        #expect(slack.outcome(of: reply(429, "", headers: ["retry-after": "7"])) == .retry(after: .seconds(7), reason: "Slack answered 429"))
        #expect(slack.outcome(of: reply(503, "", headers: ["retry-after": "99999"])) == .retry(after: .seconds(900), reason: "Slack answered 503"))
        // Far past what whole milliseconds can hold: cut to the cap before it is converted, not a trap.
        #expect(slack.outcome(of: reply(503, "", headers: ["retry-after": "1e16"])) == .retry(after: .seconds(900), reason: "Slack answered 503"))
        guard case .retry(let after?, _) = slack.outcome(of: reply(429, "", headers: ["retry-after": "Wed, 21 Oct 2099 07:28:00 GMT"])) else {
            Issue.record("an HTTP date must be read")
            return
        }
        #expect(after == .seconds(900))
        guard case .rejected(let reason) = slack.outcome(of: reply(400, "invalid_payload")) else {
            Issue.record("a refused message must be permanent")
            return
        }
        #expect(reason.contains("invalid_payload"))
    }

    @Test("Discord's float retry_after, and a pause when its allowance is used up")
    func discord() {
        let discord = ChatTargetKind.discord.target
        #expect(discord.outcome(of: reply(429, #"{"message":"You are being rate limited.","retry_after":0.25,"global":false}"#))
            == .retry(after: .milliseconds(250), reason: "Discord rate limit"))
        #expect(discord.outcome(of: reply(204)) == .delivered)
        #expect(discord.pause(after: reply(204, "", headers: ["x-ratelimit-remaining": "0", "x-ratelimit-reset-after": "1.500"])) == .milliseconds(1500))
        #expect(discord.pause(after: reply(204, "", headers: ["x-ratelimit-remaining": "0", "x-ratelimit-reset-after": "1e16"])) == .seconds(900))
        #expect(discord.pause(after: reply(204, "", headers: ["x-ratelimit-remaining": "0", "x-ratelimit-reset-after": "inf"])) == .seconds(900))
        #expect(discord.outcome(of: reply(429, #"{"retry_after":1e300}"#)) == .retry(after: .seconds(900), reason: "Discord rate limit"))
        #expect(discord.pause(after: reply(204, "", headers: ["x-ratelimit-remaining": "3", "x-ratelimit-reset-after": "1.500"])) == nil)
        #expect(ChatTargetKind.slack.target.pause(after: reply(200)) == nil)
    }

    @Test("Matrix's retry_after_ms, and a PUT with the delivery id as transaction id")
    func matrix() throws {
        let matrix = ChatTargetKind.matrix.target
        #expect(matrix.outcome(of: reply(429, #"{"errcode":"M_LIMIT_EXCEEDED","retry_after_ms":2000}"#))
            == .retry(after: .seconds(2), reason: "Matrix rate limit (M_LIMIT_EXCEEDED)"))
        #expect(matrix.outcome(of: reply(429, #"{"errcode":"M_LIMIT_EXCEEDED","retry_after_ms":1e300}"#))
            == .retry(after: .seconds(900), reason: "Matrix rate limit (M_LIMIT_EXCEEDED)"))
        let request = matrix.request(body: [], to: ChatDestination(url: try #require(URL(string: "https://matrix.example.org")),
                                                                  room: "!room:example.org", token: "tok"),
                                     deliveryId: "12-0-room", timeout: .seconds(5))
        #expect(request.method == "PUT")
        #expect(request.url.absoluteString == "https://matrix.example.org/_matrix/client/v3/rooms/%21room%3Aexample%2Eorg/send/m.room.message/12%2D0%2Droom")
        #expect(request.headers["Authorization"] == "Bearer tok")
    }

    @Test("Google Chat posts carry the delivery id as requestId after the key and token, which keep their encoding")
    func googleChatRequestId() throws {
        let url = try #require(URL(string: "https://chat.googleapis.com/v1/spaces/AAAA/messages?key=k-1&token=ab%3D%2Bc%3D"))
        let request = ChatTargetKind.googleChat.target.request(body: [], to: ChatDestination(url: url), deliveryId: "msg_0123abcd",
                                                               timeout: .seconds(5))
        #expect(request.url.absoluteString
            == "https://chat.googleapis.com/v1/spaces/AAAA/messages?key=k-1&token=ab%3D%2Bc%3D&requestId=msg%5F0123abcd")
    }

    @Test("Google Chat: a 400 INVALID_ARGUMENT is the card's fault, unless it is about the API key")
    func googleChatInvalidArgument() {
        let target = ChatTargetKind.googleChat.target
        let unknownField = reply(400, #"{"error":{"code":400,"message":"Invalid JSON payload received. Unknown name \"footer\" at 'message': Cannot find field.","status":"INVALID_ARGUMENT"}}"#)
        guard case .invalidPayload = target.outcome(of: unknownField) else {
            Issue.record("an unknown field is not read as the card's fault")
            return
        }
        let badKey = reply(400, #"{"error":{"code":400,"message":"API key not valid. Please pass a valid API key.","status":"INVALID_ARGUMENT"}}"#)
        guard case .rejected = target.outcome(of: badKey) else {
            Issue.record("a key that is not valid is read as the card's fault")
            return
        }
        guard case .rejected = target.outcome(of: reply(400, "not JSON")) else {
            Issue.record("a 400 without Google's error is read as the card's fault")
            return
        }
    }
}
