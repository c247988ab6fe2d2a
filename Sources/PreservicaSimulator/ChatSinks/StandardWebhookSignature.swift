import Foundation
import Hashing

/// Standard Webhooks v1 signatures: base64 HMAC-SHA256 over `{webhook-id}.{webhook-timestamp}.{body}`
/// under the key that a `whsec_` secret encodes.
public enum StandardWebhookSignature {
    /// The HMAC key inside `secret` (`whsec_` + base64), or nil when it does not decode.
    public static func key(fromSecret secret: String) -> [UInt8]? {
        let encoded = secret.hasPrefix("whsec_") ? String(secret.dropFirst("whsec_".count)) : secret
        return Data(base64Encoded: encoded).map(Array.init)
    }

    /// The `webhook-signature` entry `v1,<base64>` for one message, or nil when the secret does not decode.
    public static func sign(id: String, timestamp: Int, body: [UInt8], secret: String) -> String? {
        guard let key = key(fromSecret: secret) else { return nil }
        return "v1," + Data(mac(key: key, id: id, timestamp: String(timestamp), body: body)).base64EncodedString()
    }

    /// Why a message fails verification, or nil when one `v1` entry of `signatureHeader` matches
    /// and `timestamp` is within `tolerance` of `now`.
    public static func problem(id: String?, timestamp: String?, signatureHeader: String?, body: [UInt8], secret: String,
                               now: Date = Date(), tolerance: Duration = .seconds(300)) -> String? {
        guard let id, let timestamp, let signatureHeader, !id.isEmpty else {
            return "missing webhook-id, webhook-timestamp or webhook-signature"
        }
        guard let seconds = Int(timestamp) else { return "webhook-timestamp is not an integer" }
        if abs(Double(seconds) - now.timeIntervalSince1970) > Double(tolerance.components.seconds) {
            return "webhook-timestamp is more than \(tolerance.components.seconds) s away"
        }
        guard let key = key(fromSecret: secret) else { return "the secret does not decode" }
        let expected = mac(key: key, id: id, timestamp: timestamp, body: body)
        for entry in signatureHeader.split(separator: " ") {
            let parts = entry.split(separator: ",", maxSplits: 1)
            guard parts.count == 2, parts[0] == "v1", let given = Data(base64Encoded: String(parts[1])) else { continue }
            if ConstantTime.equals(Array(given), expected) { return nil }
        }
        return "no v1 signature matches"
    }

    private static func mac(key: [UInt8], id: String, timestamp: String, body: [UInt8]) -> [UInt8] {
        HMACSHA256(key: key).authenticationCode(Array("\(id).\(timestamp).".utf8) + body)
    }
}
