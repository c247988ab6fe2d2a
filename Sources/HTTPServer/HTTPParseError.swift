/// Why a request could not be read; each carries the status to answer before closing.
public struct HTTPParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The status code to answer (400, 413, 417, 431, 501 or 505).
    public var status: Int
    /// A short explanation safe to send to the client.
    public var reason: String

    /// Creates an error.
    public init(status: Int, reason: String) {
        self.status = status
        self.reason = reason
    }

    public var description: String { "\(status) \(reason)" }

    static func bad(_ reason: String) -> HTTPParseError { HTTPParseError(status: 400, reason: reason) }
}
