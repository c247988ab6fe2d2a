import JSON

/// The body the Runtime API expects on `/runtime/init/error` and `/runtime/invocation/{id}/error`:
/// `{"errorMessage", "errorType", "stackTrace": []}`. It ends up in CloudWatch, so callers put
/// no secret in the message.
public struct LambdaErrorReport: Sendable, Equatable {
    /// A one-line description.
    public var message: String
    /// A short category, also sent as `Lambda-Runtime-Function-Error-Type`, e.g. `Runtime.ConfigurationError`.
    public var type: String

    /// Creates a report.
    public init(message: String, type: String) {
        self.message = message
        self.type = type
    }

    /// The JSON body.
    public var json: [UInt8] {
        JSONWriter.bytes(.object(JSONObject([
            ("errorMessage", .string(message)), ("errorType", .string(type)), ("stackTrace", .array([])),
        ])))
    }
}
