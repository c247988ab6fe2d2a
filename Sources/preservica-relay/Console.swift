import Foundation
import Relay

/// Output for people at a terminal.
enum Console {
    /// Prints to stderr, control characters escaped (messages may quote text from outside).
    static func error(_ message: String) {
        FileHandle.standardError.write(Data("preservica-relay: \(TerminalText.lines(message))\n".utf8))
    }

    /// Prints a line that already names its subject to stderr, as it is.
    static func warning(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
