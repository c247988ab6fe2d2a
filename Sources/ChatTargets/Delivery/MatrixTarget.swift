import Foundation
import JSON
import OutboundHTTP

/// Matrix: `PUT /_matrix/client/v3/rooms/{room}/send/m.room.message/{txnId}` with a bearer token.
/// The delivery id is the transaction id, so a retry the server already took returns the same
/// event instead of posting twice. 429 `M_LIMIT_EXCEEDED` carries `retry_after_ms`.
struct MatrixTarget: ChatTarget {
    func request(body: [UInt8], to destination: ChatDestination, deliveryId: String, timeout: Duration) -> OutboundRequest {
        let room = (destination.room ?? "").addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        let txn = deliveryId.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? deliveryId
        var base = destination.url.absoluteString
        while base.hasSuffix("/") { base.removeLast() }
        let url = URL(string: "\(base)/_matrix/client/v3/rooms/\(room)/send/m.room.message/\(txn)") ?? destination.url
        return OutboundRequest(method: "PUT", url: url,
                               headers: ["Content-Type": "application/json", "Authorization": "Bearer \(destination.token ?? "")"],
                               body: body, timeout: timeout)
    }

    func outcome(of reply: OutboundReply) -> DeliveryOutcome {
        if reply.status == 429 {
            let milliseconds = (try? JSONParser.parse(reply.body))?.objectValue?["retry_after_ms"]?.numberValue
            let wait = milliseconds.map { RetryAfter.seconds($0 / 1000) } ?? RetryAfter.parse(reply.headers["retry-after"])
            return .retry(after: wait, reason: "Matrix rate limit (M_LIMIT_EXCEEDED)")
        }
        // The token revoked or expired (401 M_UNKNOWN_TOKEN), or the account no longer in the room
        // or allowed to post there (403 M_FORBIDDEN saying so): about the channel, not the
        // message. Other 403s can refuse one message (a spam checker's "rejected as probable spam").
        let json = (try? JSONParser.parse(reply.body))?.objectValue
        let errcode = json?["errcode"]?.stringValue
        let error = json?["error"]?.stringValue?.lowercased() ?? ""
        let cannotPost = ["not in room", "not joined", "not in the room", "user_level", "power level"].contains(where: error.contains)
            || ["NOT_JOINED", "INSUFFICIENT_POWER"].contains(where: { errcode?.hasSuffix($0) == true })
        if (reply.status == 401 && errcode == "M_UNKNOWN_TOKEN") || (reply.status == 403 && errcode == "M_FORBIDDEN" && cannotPost) {
            return .gone(reason: "Matrix answered \(reply.status) \(errcode ?? ""): \(ReplyText.excerpt(reply.text))")
        }
        return standardOutcome(reply, service: "Matrix")
    }
}
