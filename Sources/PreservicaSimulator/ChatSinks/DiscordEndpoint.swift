import Foundation
import HTTPServer
import JSON

/// A Discord webhook: 204, or 200 with the message object when `?wait=true`; errors are
/// `{"message","code"}` JSON. Every answer carries the `X-RateLimit-*` headers. A message taken
/// but then not saved is an error only for a sender that waits (``ChatSink/failNextDiscordSaves(_:)``).
///
/// The webhook URL Discord hands out has no API version, and Discord serves unversioned routes as
/// its default version, v6. Before v8, `retry_after` and `Retry-After` were milliseconds and the
/// `X-RateLimit-Reset*` headers whole seconds; from v8 all are seconds, resets with three decimals.
/// ``forVersion(_:path:)`` turns a throttling answer into what the request's route would get.
struct DiscordEndpoint {
    let core: ChatSinkCore

    func answer(_ request: HTTPRequest, webhookID: String, json: JSONValue?, now: Date) -> ChatSinkAnswer {
        let headers = Self.rateLimitHeaders(remaining: 4, resetAfter: 1, now: now,
                                            wholeSeconds: (Self.apiVersion(path: request.path) ?? 6) < 8)
        // A body not sent as JSON (no Content-Type, text/plain) is not read as JSON: Discord sees
        // no content and answers as for an empty message (discord/discord-api-docs#1210,
        // CortexPE/DiscordWebhookAPI#3).
        let contentType = (request.headers["Content-Type"] ?? "").lowercased()
        guard contentType.hasPrefix("application/json") || contentType.hasPrefix("multipart/form-data") else {
            return .rejected(ChatSinkReply.discordError(400, code: 50006, message: "Cannot send an empty message")
                .adding(headers).response, "Content-Type \(contentType.isEmpty ? "missing" : contentType), not application/json")
        }
        guard let message = json?.objectValue else {
            return .rejected(ChatSinkReply.discordError(400, code: 50109, message: "The request body contains invalid JSON.")
                .adding(headers).response, "body is not a JSON object")
        }
        if let problem = DiscordFormCheck.problem(message) {
            let body = JSONWriter.string(.object(JSONObject([
                ("message", .string("Invalid Form Body")), ("code", .number(50035)), ("errors", problem.errors),
            ])))
            return .rejected(ChatSinkReply.json(400, body, headers: headers).response, problem.reason)
        }
        guard ChatSinkPayload.hasText(message["content"]) || ChatSinkPayload.hasItems(message["embeds"])
                || ChatSinkPayload.hasItems(message["components"]) || message["poll"] != nil else {
            return .rejected(ChatSinkReply.discordError(400, code: 50006, message: "Cannot send an empty message")
                .adding(headers).response, "no content, embeds, components or poll")
        }
        let forum = core.state.withLock { $0.discordForums.contains(webhookID) }
        let threadID = request.queryParameter("thread_id")
        if let refusal = Self.threadRefusal(message, forum: forum, threadID: threadID) {
            return .rejected(refusal.reply.adding(headers).response, refusal.reason)
        }
        let waits = request.queryParameter("wait") == "true"
        let unsaved = core.state.withLock { state -> Bool in
            guard state.discordUnsaved > 0 else { return false }
            state.discordUnsaved -= 1
            return true
        }
        if unsaved {
            // Taken, then not saved: only a sender that waits is told.
            guard waits else {
                return ChatSinkAnswer(response: ChatSinkReply(status: 204, headers: headers).response,
                                      outcome: .silentlyFailed("taken but not saved; without ?wait=true Discord answers 204 all the same"))
            }
            return .rejected(ChatSinkReply.discordError(500, code: 0, message: "500: Internal Server Error").adding(headers).response,
                             "taken but not saved")
        }
        guard waits else {
            return .delivered(ChatSinkReply(status: 204, headers: headers).response)
        }
        let serial = core.state.withLock { $0.nextSerial() }
        // A post started by `thread_name` is a new thread (a channel) whose first message this is;
        // `?thread_id=` names the thread.
        let channelID = threadID ?? ChatSinkIdentifier.snowflake(forum ? "thread#\(serial)" : "channel#\(webhookID)")
        let created = JSONObject([
            ("type", .number(0)),
            ("content", message["content"] ?? .string("")),
            ("mentions", .array([])), ("mention_roles", .array([])), ("attachments", .array([])),
            ("embeds", message["embeds"] ?? .array([])),
            ("timestamp", .string(ChatSinkIdentifier.timestamp(now).replacingOccurrences(of: "Z", with: "+00:00"))),
            ("edited_timestamp", .null), ("flags", .number(0)), ("components", .array([])),
            ("id", .string(ChatSinkIdentifier.snowflake("message#\(serial)#\(now.timeIntervalSince1970)"))),
            ("channel_id", .string(channelID)),
            ("author", .object(JSONObject([("bot", .bool(true)), ("id", .string(webhookID)),
                                           ("username", message["username"] ?? .string("Preservica relay")),
                                           ("avatar", .null), ("discriminator", .string("0000"))]))),
            ("pinned", .bool(false)), ("mention_everyone", .bool(false)), ("tts", .bool(false)),
            ("webhook_id", .string(webhookID)),
        ])
        return .delivered(ChatSinkReply.json(200, JSONWriter.string(.object(created)), headers: headers).response)
    }

    /// Discord's thread rules for webhooks (its JSON error codes): a forum or media channel's
    /// webhook must start a post (`thread_name`) or name one (`?thread_id=`), 220001, not both,
    /// 220002; a `thread_name` to any other channel's webhook is 220003. A `thread_name` is at most
    /// 100 characters (`IncomingWebhookRequestPartial.thread_name` in discord/discord-api-spec);
    /// the reply to a longer one is Discord's usual one for a field too long [I].
    static func threadRefusal(_ message: JSONObject, forum: Bool, threadID: String?) -> (reply: ChatSinkReply, reason: String)? {
        let threadName = message["thread_name"]?.stringValue
        if threadName != nil && !forum {
            return (ChatSinkReply.discordError(400, code: 220003, message: "Webhooks can only create threads in forum channels"),
                    "thread_name sent to a webhook that is not a forum channel's")
        }
        guard forum else { return nil }
        switch (threadName, threadID) {
        case (nil, nil):
            return (ChatSinkReply.discordError(400, code: 220001, message: "Webhooks posted to forum channels must have a thread_name or thread_id"),
                    "a forum channel's webhook without thread_name or thread_id")
        case (.some, .some):
            return (ChatSinkReply.discordError(400, code: 220002, message: "Webhooks posted to forum channels cannot have both a thread_name and thread_id"),
                    "both thread_name and thread_id")
        case (let name?, nil) where name.unicodeScalars.count > 100 || name.allSatisfy(\.isWhitespace):
            let problem = name.unicodeScalars.count > 100
                ? DiscordFormCheck.tooLong(["thread_name"], 100) : DiscordFormCheck.required(["thread_name"])
            let body = JSONWriter.string(.object(JSONObject([
                ("message", .string("Invalid Form Body")), ("code", .number(50035)), ("errors", problem.errors),
            ])))
            return (ChatSinkReply.json(400, body, headers: [:]), problem.reason)
        default:
            return nil
        }
    }

    /// The API version a request path names (`/api/v10/webhooks/…`), or nil for the unversioned route.
    static func apiVersion(path: String) -> Int? {
        let parts = path.split(separator: "/")
        guard parts.count > 1, parts[0] == "api", parts[1].hasPrefix("v") else { return nil }
        return Int(parts[1].dropFirst())
    }

    /// `reply` as a route of `path`'s version sends it: on the unversioned route (v6) and v7, a
    /// 429's `retry_after` and `Retry-After` are milliseconds and the reset headers whole seconds.
    static func forVersion(_ reply: ChatSinkReply, path: String) -> ChatSinkReply {
        guard reply.status == 429, (apiVersion(path: path) ?? 6) < 8 else { return reply }
        var old = reply
        guard case .object(var body)? = try? JSONParser.parse(reply.body), let index = body.index(of: "retry_after"),
              let seconds = body["retry_after"]?.numberValue else { return reply }
        let milliseconds = Int((seconds * 1000).rounded(.up))
        body.replaceValue(at: index, with: .number(Double(milliseconds)))
        old.body = Array(JSONWriter.string(.object(body)).utf8)
        old.headers["Retry-After"] = String(milliseconds)
        for name in ["X-RateLimit-Reset-After", "X-RateLimit-Reset"] {
            if let value = reply.headers[name].flatMap(Double.init) { old.headers[name] = String(Int(value.rounded(.up))) }
        }
        return old
    }

    /// The rate-limit headers Discord puts on every webhook answer; the reset times are whole
    /// seconds, rounded up, before API v8 and have three decimals from v8.
    static func rateLimitHeaders(remaining: Int, resetAfter: Double, now: Date = Date(), wholeSeconds: Bool = false) -> [String: String] {
        let time: (Double) -> String = { wholeSeconds ? String(Int($0.rounded(.up))) : decimal($0) }
        return [
            "X-RateLimit-Bucket": "d3e1f5c2a7b94e0f8c6d2b1a0e9f8c7d",
            "X-RateLimit-Limit": "5",
            "X-RateLimit-Remaining": String(remaining),
            "X-RateLimit-Reset": time(now.timeIntervalSince1970 + resetAfter),
            "X-RateLimit-Reset-After": time(resetAfter),
        ]
    }

    /// `seconds` with three decimals, as Discord writes times (`0.250`, `1716200000.123`).
    static func decimal(_ seconds: Double) -> String {
        let millis = Int64((seconds * 1000).rounded())
        let fraction = String(millis % 1000)
        return "\(millis / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}

extension ChatSinkReply {
    /// The reply with `extra` headers added (its own win on a clash).
    func adding(_ extra: [String: String]) -> ChatSinkReply {
        var copy = self
        copy.headers.merge(extra) { own, _ in own }
        return copy
    }
}
