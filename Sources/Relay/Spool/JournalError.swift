import Foundation

/// The incoming journal could not keep a notification (disk full, permissions, I/O error).
public struct JournalError: Error, Sendable, CustomStringConvertible {
    /// What failed, with the path and the system's reason.
    public var message: String
    /// Creates an error.
    public init(_ message: String) { self.message = message }
    public var description: String { message }

    static func system(_ call: String, _ path: String, _ code: Int32 = errno) -> JournalError {
        JournalError("\(call) \(path): \(String(cString: strerror(code)))")
    }
}
