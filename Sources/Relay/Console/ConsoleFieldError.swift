/// Why the console refused a change, naming the field at fault; `status` is the HTTP status the
/// API answers with (400 a bad field, 403 not yours, 404 unknown, 409 stale or taken, 503 damaged file).
public struct ConsoleFieldError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The field at fault (empty when the whole request is).
    public var field: String
    /// What is wrong, in words; never a URL, token or password.
    public var message: String
    /// The HTTP status for the API.
    public var status: Int

    /// Creates an error.
    public init(field: String, _ message: String, status: Int = 400) {
        self.field = field
        self.message = message
        self.status = status
    }

    /// `field: message`.
    public var description: String { field.isEmpty ? message : "\(field): \(message)" }
}
