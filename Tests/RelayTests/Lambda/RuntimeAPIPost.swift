import Foundation
import JSON

/// One result the function posted to the Runtime API emulator.
struct RuntimeAPIPost: Sendable {
    /// What was posted.
    enum Kind: Sendable, Equatable {
        /// `/runtime/invocation/{id}/response`.
        case response
        /// `/runtime/invocation/{id}/error`.
        case error
        /// `/runtime/init/error`.
        case initError
    }

    var kind: Kind
    /// The invocation's request id (empty for an init error).
    var requestId: String
    /// The `Lambda-Runtime-Function-Error-Type` header, if any.
    var errorType: String?
    /// The body posted.
    var body: [UInt8]

    /// The body as JSON.
    var json: JSONObject? { (try? JSONParser.parse(body))?.objectValue }

    /// For a response: its `statusCode`.
    var statusCode: Int? { json?["statusCode"]?.numberValue.map { Int($0) } }

    /// For a response: its `body` (decoded when `isBase64Encoded`), parsed as JSON.
    var responseBody: JSONObject? {
        guard let text = json?["body"]?.stringValue else { return nil }
        let bytes = json?["isBase64Encoded"] == .bool(true) ? Data(base64Encoded: text).map { [UInt8]($0) } ?? [] : Array(text.utf8)
        return (try? JSONParser.parse(bytes))?.objectValue
    }
}
