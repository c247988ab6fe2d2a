import Foundation
import Hashing
import OutboundHTTP

/// A generic JSON webhook, signed per Standard Webhooks when a `whsec_` secret is set:
/// `webhook-id`, `webhook-timestamp` and `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`.
struct SignedWebhookTarget: ChatTarget {
    func request(body: [UInt8], to destination: ChatDestination, deliveryId: String, timeout: Duration) -> OutboundRequest {
        guard let secret = destination.token, secret.hasPrefix("whsec_"),
              let key = Data(base64Encoded: String(secret.dropFirst("whsec_".count))) else {
            return post(body, destination, timeout: timeout, headers: ["webhook-id": deliveryId])
        }
        let timestamp = String(Int(Date().timeIntervalSince1970))
        let signed = Array("\(deliveryId).\(timestamp).".utf8) + body
        let signature = Data(HMACSHA256.authenticationCode(key: [UInt8](key), message: signed)).base64EncodedString()
        return post(body, destination, timeout: timeout, headers: [
            "webhook-id": deliveryId, "webhook-timestamp": timestamp, "webhook-signature": "v1,\(signature)",
        ])
    }

    func outcome(of reply: OutboundReply) -> DeliveryOutcome {
        standardOutcome(reply, service: "webhook")
    }
}
