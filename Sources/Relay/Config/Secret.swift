/// A secret value (webhook secret, password, token, chat URL with a key).
///
/// It prints as `‹redacted›` everywhere (logs, errors, `dump`), so only code that asks for
/// ``reveal`` ever sees it.
public struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The secret itself; use it only where it is needed (signing, a request header).
    public let reveal: String

    /// Wraps `value`.
    public init(_ value: String) { reveal = value }

    public var description: String { "‹redacted›" }
    public var debugDescription: String { "‹redacted›" }
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}
