import Foundation
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

    func outcome(of reply: OutboundReply) -> DeliveryOutcome {
        standardOutcome(reply, service: "Google Chat")
    }
}
