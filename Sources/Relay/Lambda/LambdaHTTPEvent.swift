import Foundation
import HTTPServer
import JSON

/// Reads a Lambda Function URL or API Gateway HTTP API event (payload format 2.0) as the
/// ``HTTPRequest`` the HTTP server would have parsed, so the same ``WebhookReceiver`` answers it.
///
/// The event already holds the whole body (the edge removed any chunked framing); it is base64
/// when `isBase64Encoded` is true and is decoded here, because the signature covers the raw bytes.
public enum LambdaHTTPEvent {
    /// The request carried by `event` (the invocation's JSON).
    public static func request(from event: [UInt8]) throws(LambdaEventError) -> HTTPRequest {
        let root: JSONObject
        do {
            guard let object = try JSONParser.parse(event).objectValue else {
                throw LambdaEventError("the event is not a JSON object")
            }
            root = object
        } catch let error as LambdaEventError {
            throw error
        } catch {
            throw LambdaEventError("the event is not JSON: \(error)")
        }
        let http = root["requestContext"]?.objectValue?["http"]?.objectValue
        guard let method = http?["method"]?.stringValue, let rawPath = root["rawPath"]?.stringValue else {
            throw LambdaEventError("not an HTTP event (payload format 2.0): requestContext.http.method or rawPath is missing")
        }
        var target = rawPath.isEmpty ? "/" : rawPath
        if let query = root["rawQueryString"]?.stringValue, !query.isEmpty { target += "?" + query }

        var headers = HTTPHeaders()
        for (name, value) in root["headers"]?.objectValue ?? JSONObject() {
            // Lambda has already lowercased the names and comma-joined repeated fields.
            if let text = value.stringValue { headers.append(name: name, value: text) }
        }
        if let cookies = root["cookies"]?.arrayValue, !cookies.isEmpty {
            // Payload 2.0 moves the Cookie header out into this array.
            headers.append(name: "cookie", value: cookies.compactMap(\.stringValue).joined(separator: "; "))
        }

        var body: [UInt8] = []
        if let text = root["body"]?.stringValue {
            if case .bool(true) = root["isBase64Encoded"] {
                guard let data = Data(base64Encoded: text) else {
                    throw LambdaEventError("isBase64Encoded is true but the body is not base64")
                }
                body = [UInt8](data)
            } else {
                body = Array(text.utf8)
            }
        }
        let peer = http?["sourceIp"]?.stringValue ?? ""
        return HTTPRequest(method: method.uppercased(), target: target, headers: headers, body: body, peerAddress: peer)
    }
}
