import Foundation
import JSON
import OutboundHTTP

/// Discord: posts carry `?wait=true`, so Discord answers 200 with the message once it is saved,
/// and an error when it is not; without it, 204 comes even for a message it then fails to save
/// ("when `false` a message that is not saved does not return an error", Execute Webhook in
/// Discord's documentation). Posts go to API v10 (``DiscordAPIVersion``), where a
/// 429's `retry_after` (JSON, float) and `Retry-After` are seconds; on an older route they are
/// milliseconds, and the reply is read by the version the request used. Every reply carries
/// `X-RateLimit-Remaining` and `X-RateLimit-Reset-After` (seconds in every version), so the relay
/// pauses before it is throttled. 400 code 50035 ("Invalid Form Body") refuses the body's shape.
/// A forum or media channel's webhook takes a message only as a new post (`thread_name`) or in
/// one (`?thread_id=` on the URL); without either it answers 400 code 220001, and the relay then
/// starts a post per card, named after the card (``DiscordThreadName``). A custom card's own
/// `thread_name` is fitted the same way; sent to a channel that is no forum (220003), the
/// default card goes instead.
struct DiscordTarget: ChatTarget {
    func request(body: [UInt8], to destination: ChatDestination, deliveryId: String, timeout: Duration) -> OutboundRequest {
        let versioned = ChatDestination(url: Self.waiting(DiscordAPIVersion.versioned(destination.url)), room: destination.room,
                                        token: destination.token)
        return post(DiscordThreadName.shaped(body, title: destination.threadName), versioned, timeout: timeout)
    }

    /// `url` with `wait=true` in place of any `wait` it had; its other parameters (`thread_id`) stay.
    static func waiting(_ url: URL) -> URL {
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return url }
        components.queryItems = (components.queryItems ?? []).filter { $0.name != "wait" } + [URLQueryItem(name: "wait", value: "true")]
        return components.url ?? url
    }

    func outcome(of reply: OutboundReply) -> DeliveryOutcome {
        outcome(of: reply, milliseconds: false)
    }

    func outcome(of reply: OutboundReply, to request: OutboundRequest) -> DeliveryOutcome {
        outcome(of: reply, milliseconds: DiscordAPIVersion.waitsInMilliseconds(request.url))
    }

    private func outcome(of reply: OutboundReply, milliseconds: Bool) -> DeliveryOutcome {
        let json = (try? JSONParser.parse(reply.body))?.objectValue
        if reply.status == 429 {
            let scale = milliseconds ? 1_000.0 : 1
            let body = json?["retry_after"]?.numberValue.map { RetryAfter.seconds($0 / scale) }
            let header = reply.headers["retry-after"].flatMap { Double($0.trimmingCharacters(in: .whitespaces)) }
                .map { RetryAfter.seconds($0 / scale) }
            return .retry(after: body ?? header, reason: "Discord rate limit")
        }
        if reply.status == 400, json?["code"]?.numberValue == 50035 {
            return .invalidPayload(reason: "Discord answered 400 code 50035 (Invalid Form Body): \(ReplyText.excerpt(reply.text))")
        }
        if reply.status == 400, json?["code"]?.numberValue == 220003 {
            // A custom card's `thread_name` to a channel that is no forum: the default card has none.
            return .invalidPayload(reason: "Discord answered 400 code 220003 (Webhooks can only create threads in forum channels): "
                + "the card names a thread, and the webhook's channel is no forum")
        }
        // "If a webhook returns a 404 status you should not attempt to use it again" (Discord's
        // rate-limit documentation): 10015 Unknown Webhook, 50027 Invalid Webhook Token.
        if let code = json?["code"]?.numberValue, (reply.status == 404 && code == 10015) || (reply.status == 401 && code == 50027) {
            return .gone(reason: "Discord answered \(reply.status) code \(Int(code)) (\(json?["message"]?.stringValue ?? "")): "
                + "the webhook was deleted or its token reset")
        }
        if reply.status == 400, json?["code"]?.numberValue == 220001 {
            return .threadRequired(reason: "the webhook belongs to a Discord forum channel, which takes a message only as a new post "
                + "or in one (400 code 220001)")
        }
        return standardOutcome(reply, service: "Discord")
    }

    func pause(after reply: OutboundReply) -> Duration? {
        guard reply.headers["x-ratelimit-remaining"]?.trimmingCharacters(in: .whitespaces) == "0",
              let seconds = reply.headers["x-ratelimit-reset-after"].flatMap({ Double($0.trimmingCharacters(in: .whitespaces)) })
        else { return nil }
        return RetryAfter.seconds(seconds)
    }
}
