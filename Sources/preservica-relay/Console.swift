import Foundation

/// Output for people at a terminal.
enum Console {
    /// Prints to stderr.
    static func error(_ message: String) {
        FileHandle.standardError.write(Data("preservica-relay: \(message)\n".utf8))
    }
}
