import Foundation
import Hashing

/// Sends signed notifications exactly as Preservica does: compact JSON, `Content-Type: application/json`,
/// `Preservica-Signature` = hex HMAC-SHA256(secret, "preservica-webhook-auth" + body), and
/// `Transfer-Encoding: chunked` unless told otherwise.
public enum NotificationSender {
    /// The prefix signed in front of the body.
    public static let signaturePrefix = "preservica-webhook-auth"

    /// Lowercase hex HMAC-SHA256 over the prefix and the exact body bytes.
    public static func signature(body: [UInt8], secret: String) -> String {
        Hex.encode(HMACSHA256.authenticationCode(key: Array(secret.utf8), message: Array(signaturePrefix.utf8) + body))
    }

    /// Sends one notification with one event per ref; returns the receiver's status and body text.
    /// A random subscription id is used unless one is given. Without `entityType`, a ref that is a
    /// folder of the sample repository is an `SO` event (a folder-level failure or move) and any
    /// other ref an `IO` event.
    public static func send(to url: URL, secret: String, trigger: String, refs: [String], entityType: String? = nil,
                            tenant: String = "DEMO", version: String = "7.7", chunked: Bool = true,
                            subscriptionId: String? = nil) async throws -> (status: Int, body: String) {
        let folders = Set(SimulatorRepository.sample.folders.map(\.ref))
        let events = refs.map { ref in
            NotificationEvent(event: NotificationEvent.name(for: trigger), entityType: entityType ?? (folders.contains(ref) ? "SO" : "IO"),
                              entityRef: ref)
        }
        let body = NotificationBody.make(subscriptionId: subscriptionId ?? RandomIdentifier.hex32(), tenant: tenant,
                                         version: version, trigger: trigger, events: events)
        let reply = try await post(body, to: url, signature: signature(body: body, secret: secret), chunked: chunked)
        return (reply.status, String(decoding: reply.body, as: UTF8.self))
    }

    /// POSTs an already built body with the given signature.
    static func post(_ body: [UInt8], to url: URL, signature: String, chunked: Bool) async throws -> OutboundHTTPClient.Reply {
        guard OutboundHTTPClient.httpURL(url.absoluteString) != nil else {
            throw OutboundHTTPClient.ClientError(description: "not an http(s) URL: \(url.absoluteString)")
        }
        return try await OutboundHTTPClient.shared.post(url, body: body, headers: [("Preservica-Signature", signature)], chunked: chunked)
    }
}
