import Foundation
import JSON
import OutboundHTTP

/// Discord: 204 (or 200 with `?wait=true`); 429 carries `retry_after` in seconds as a float in the
/// JSON body, which is more precise than the `Retry-After` header. Every reply carries
/// `X-RateLimit-Remaining` and `X-RateLimit-Reset-After`, so the relay pauses before it is throttled.
struct DiscordTarget: ChatTarget {
    func request(body: [UInt8], to destination: ChatDestination, deliveryId: String, timeout: Duration) -> OutboundRequest {
        post(body, destination, timeout: timeout)
    }

    func outcome(of reply: OutboundReply) -> DeliveryOutcome {
        if reply.status == 429 {
            let seconds = (try? JSONParser.parse(reply.body))?.objectValue?["retry_after"]?.numberValue
            let wait = seconds.map(RetryAfter.seconds) ?? RetryAfter.parse(reply.headers["retry-after"])
            return .retry(after: wait, reason: "Discord rate limit")
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
