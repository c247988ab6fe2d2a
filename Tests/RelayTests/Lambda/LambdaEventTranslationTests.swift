import Testing
import Foundation
import HTTPServer
import JSON
import Relay

/// The event and response formats of Function URLs / HTTP APIs (payload 2.0), read and written
/// as a Lambda user would check them.
@Suite("Lambda HTTP event and response formats")
struct LambdaEventTranslationTests {
    @Test("an event becomes the request the HTTP server would have parsed")
    func eventToRequest() throws {
        var event = FunctionURLEvent(rawPath: "/default/webhook", rawQueryString: "a=1&a=2",
                                     headers: [("Preservica-Signature", "abc"), ("X-Forwarded-For", "198.51.100.1, 203.0.113.7")],
                                     body: "{\"é\":1}", base64: true)
        event.method = "post"
        let request = try LambdaHTTPEvent.request(from: Array(event.json.utf8))
        #expect(request.method == "POST")
        #expect(request.path == "/default/webhook")
        #expect(request.query == "a=1&a=2")
        #expect(request.headers["preservica-signature"] == "abc")
        #expect(request.headers["X-Forwarded-For"] == "198.51.100.1, 203.0.113.7")
        #expect(String(decoding: request.body, as: UTF8.self) == "{\"é\":1}")
        #expect(request.peerAddress == "203.0.113.7")
    }

    @Test("a body marked base64 that is not base64, or an event without rawPath, is refused")
    func badEvents() {
        #expect(throws: LambdaEventError.self) {
            try LambdaHTTPEvent.request(from: Array(#"{"rawPath":"/webhook","requestContext":{"http":{"method":"POST"}},"body":"%%%","isBase64Encoded":true}"#.utf8))
        }
        #expect(throws: LambdaEventError.self) {
            try LambdaHTTPEvent.request(from: Array(#"{"requestContext":{"http":{"method":"POST"}}}"#.utf8))
        }
        #expect(throws: LambdaEventError.self) { try LambdaHTTPEvent.request(from: Array("[1]".utf8)) }
    }

    @Test("a response is written with lowercased, comma-joined headers; a binary body goes base64")
    func responsePayload() throws {
        var response = HTTPResponse.json(405, #"{"error":"method not allowed"}"#)
        response.headers.append(name: "Vary", value: "Origin")
        response.headers.append(name: "vary", value: "Accept")
        let json = try #require(try JSONParser.parse(LambdaHTTPResult.payload(for: response)).objectValue)
        #expect(json["statusCode"] == .number(405))
        #expect(json["isBase64Encoded"] == .bool(false))
        #expect(json["body"] == .string(#"{"error":"method not allowed"}"#))
        #expect(json["headers"]?.objectValue?["content-type"] == .string("application/json"))
        #expect(json["headers"]?.objectValue?["vary"] == .string("Origin,Accept"))

        let binary = try #require(try JSONParser.parse(LambdaHTTPResult.payload(for: HTTPResponse(status: 200, body: [0xff, 0x00]))).objectValue)
        #expect(binary["isBase64Encoded"] == .bool(true))
        #expect(binary["body"] == .string("/wA="))
    }
}
