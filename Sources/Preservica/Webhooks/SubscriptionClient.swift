import Foundation
import OutboundHTTP
import JSON

/// One webhook subscription as Preservica lists it.
public struct WebhookSubscription: Sendable, Equatable {
    /// 32 hex digits.
    public var id: String
    /// Where Preservica POSTs.
    public var url: String
    /// The trigger's wire value.
    public var triggerType: String
    /// Whether events carry identifiers.
    public var includeIdentifiers: Bool
}

/// Preservica's webhook subscription API (`/api/webhook/subscriptions`).
public struct SubscriptionClient: Sendable {
    private let connection: PreservicaConnection

    /// A client over `connection`.
    public init(connection: PreservicaConnection) {
        self.connection = connection
    }

    /// Every subscription of the tenant.
    public func list() async throws(PreservicaError) -> [WebhookSubscription] {
        let reply = try await call("GET", "api/webhook/subscriptions", body: nil, what: "listing subscriptions")
        guard let items = (try? JSONParser.parse(reply.body))?.arrayValue else {
            throw .invalidResponse("the subscription list is not a JSON array")
        }
        return items.compactMap(Self.subscription)
    }

    /// Subscribes `url` to `trigger`. Preservica sends the handshake to `url` during this call, so
    /// the relay must already be running there with `secret` as its first webhook secret.
    public func create(url: String, trigger: TriggerType, secret: String) async throws(PreservicaError) -> WebhookSubscription {
        let body = JSONWriter.bytes(.object(JSONObject([
            ("url", .string(url)), ("triggerType", .string(trigger.rawValue)),
            ("secret", .string(secret)), ("includeIdentifiers", .string("true")),
        ])))
        let reply: OutboundReply
        do {
            reply = try await call("POST", "api/webhook/subscriptions", body: body, what: "creating a subscription")
        } catch .http(let status, _) where (400..<500).contains(status) {
            throw .http(status: status, "Preservica could not verify \(url): it must reach that URL over HTTPS and get the "
                + "handshake answered with the same secret (is the relay running there, with this secret first in webhook.secrets?)")
        }
        guard let subscription = (try? JSONParser.parse(reply.body)).flatMap(Self.subscription) else {
            throw .invalidResponse("the created subscription has no id")
        }
        return subscription
    }

    /// Deletes one subscription.
    public func delete(id: String) async throws(PreservicaError) {
        _ = try await call("DELETE", "api/webhook/subscriptions/\(id)", body: nil, what: "subscription \(id)")
    }

    private func call(_ method: String, _ path: String, body: [UInt8]?, what: String) async throws(PreservicaError) -> OutboundReply {
        var headers = ["Accept": "application/json"]
        if body != nil { headers["Content-Type"] = "application/json" }
        let request = OutboundRequest(method: method, url: connection.url(path), headers: headers, body: body)
        do {
            return try await connection.call(request, what: what, retry: method == "GET")
        } catch .forbidden {
            throw .forbidden("\(what) needs a user with the repository manager role (ROLE_SDB_MANAGER_USER) "
                + "or, on Preservica 8.1 and later, the config manager role")
        }
    }

    private static func subscription(_ value: JSONValue) -> WebhookSubscription? {
        guard let object = value.objectValue, let id = object["id"]?.stringValue else { return nil }
        let include: Bool = switch object["includeIdentifiers"] {
        case .bool(let flag): flag
        case .string(let text): text.lowercased() == "true"
        default: false
        }
        return WebhookSubscription(id: id, url: object["url"]?.stringValue ?? "", triggerType: object["triggerType"]?.stringValue ?? "",
                                   includeIdentifiers: include)
    }
}
