import Foundation
import JSON

/// A Lambda Function URL / API Gateway HTTP API event (payload format 2.0), as AWS builds it.
struct FunctionURLEvent {
    var method = "POST"
    var rawPath = "/webhook"
    var rawQueryString = ""
    /// Names as sent; the event carries them lowercased, as Lambda does.
    var headers: [(String, String)] = []
    var body: String?
    /// Send the body base64-encoded with `isBase64Encoded: true`.
    var base64 = false

    /// The event JSON.
    var json: String {
        var headerObject = JSONObject()
        for (name, value) in headers { headerObject.append(name.lowercased(), .string(value)) }
        var members: [(String, JSONValue)] = [
            ("version", .string("2.0")), ("routeKey", .string("$default")), ("rawPath", .string(rawPath)),
            ("rawQueryString", .string(rawQueryString)), ("headers", .object(headerObject)),
            ("requestContext", .object(JSONObject([
                ("accountId", .string("anonymous")), ("apiId", .string("abc123")), ("domainName", .string("abc123.lambda-url.eu-west-1.on.aws")),
                ("http", .object(JSONObject([
                    ("method", .string(method)), ("path", .string(rawPath)), ("protocol", .string("HTTP/1.1")),
                    ("sourceIp", .string("203.0.113.7")), ("userAgent", .string("Preservica")),
                ]))),
                ("requestId", .string(UUID().uuidString)), ("routeKey", .string("$default")), ("stage", .string("$default")),
            ]))),
            ("isBase64Encoded", .bool(base64)),
        ]
        if let body {
            members.append(("body", .string(base64 ? Data(body.utf8).base64EncodedString() : body)))
        }
        return JSONWriter.string(.object(JSONObject(members)))
    }
}
