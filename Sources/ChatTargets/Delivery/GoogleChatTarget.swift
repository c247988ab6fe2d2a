import Foundation
import JSON
import OutboundHTTP

/// Google Chat: 200 with the created Message; 429 and 5xx with a Google error JSON.
///
/// Every post carries `requestId` (the delivery id, the same on every retry): "Specifying an
/// existing request ID returns the message created with that ID instead of creating a new
/// message" (spaces.messages.create). A retry after a reply that was lost is then not shown twice.
struct GoogleChatTarget: ChatTarget {
    func request(body: [UInt8], to destination: ChatDestination, deliveryId: String, timeout: Duration) -> OutboundRequest {
        // Appended to the query as it is written, so the key and token keep their own encoding.
        var url = destination.url
        if var components = URLComponents(url: destination.url, resolvingAgainstBaseURL: false) {
            let id = deliveryId.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? deliveryId
            components.percentEncodedQuery = (components.percentEncodedQuery.map { $0 + "&" } ?? "") + "requestId=" + id
            url = components.url ?? destination.url
        }
        return post(body, ChatDestination(url: url, room: destination.room, token: destination.token), timeout: timeout,
                    headers: ["Content-Type": "application/json; charset=UTF-8"])
    }

    /// A 400 `INVALID_ARGUMENT` is Google's answer to a message it cannot take as written (a field
    /// name it does not know, at any depth of the card, or an empty message): the card is at fault,
    /// so a custom one falls back to the default card. A key that is not valid is answered 400
    /// `INVALID_ARGUMENT` too, and is not the card's fault.
    func outcome(of reply: OutboundReply) -> DeliveryOutcome {
        if reply.status == 400, let error = (try? JSONParser.parse(reply.body))?.objectValue?["error"]?.objectValue,
           error["status"]?.stringValue == "INVALID_ARGUMENT", !(error["message"]?.stringValue ?? "").contains("API key") {
            return .invalidPayload(reason: "Google Chat answered 400 INVALID_ARGUMENT: \(ReplyText.excerpt(reply.text))")
        }
        return standardOutcome(reply, service: "Google Chat")
    }
}
