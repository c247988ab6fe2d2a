import Foundation
import Hashing
import OutboundHTTP

/// A generic JSON webhook, signed per Standard Webhooks when a `whsec_` secret is set:
/// `webhook-id`, `webhook-timestamp` and `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`.
struct SignedWebhookTarget: ChatTarget {
    func request(body: [UInt8], to destination: ChatDestination, deliveryId: String, timeout: Duration) -> OutboundRequest {
        // The configuration refuses a secret that is not valid, so one that is set always signs.
        guard let secret = destination.token, let key = StandardWebhookSecret.key(secret) else {
            return post(body, destination, timeout: timeout, headers: ["webhook-id": deliveryId])
        }
        let timestamp = String(Int(Date().timeIntervalSince1970))
        let signed = Array("\(deliveryId).\(timestamp).".utf8) + body
        let signature = Data(HMACSHA256.authenticationCode(key: key, message: signed)).base64EncodedString()
        return post(body, destination, timeout: timeout, headers: [
            "webhook-id": deliveryId, "webhook-timestamp": timestamp, "webhook-signature": "v1,\(signature)",
        ])
    }

    func outcome(of reply: OutboundReply) -> DeliveryOutcome {
        // Standard Webhooks: 410 Gone means the endpoint is to be disabled.
        if reply.status == 410 { return .gone(reason: "the receiver answered 410 Gone: it takes no more posts") }
        return standardOutcome(reply, service: "webhook")
    }
}
