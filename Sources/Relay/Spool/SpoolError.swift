import Foundation

/// A spool file (the journal, a job, the cursor, a digest, a hold) could not be written, read or
/// moved (disk full, permissions, I/O error).
public struct SpoolError: Error, Sendable, CustomStringConvertible {
    /// What failed, with the path and the system's reason.
    public var message: String

    /// Creates an error.
    public init(_ message: String) { self.message = message }

    public var description: String { message }

    /// `call` on `path` failed with `code` (errno by default).
    static func system(_ call: String, _ path: String, _ code: Int32 = errno) -> SpoolError {
        SpoolError("\(call) \(path): \(String(cString: strerror(code)))")
    }
}
