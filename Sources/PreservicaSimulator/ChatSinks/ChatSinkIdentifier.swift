import Foundation
import Hashing

/// Identifiers and credentials in each service's format, derived from a name (so URLs are
/// stable) or fresh.
enum ChatSinkIdentifier {
    /// SHA-256 of `seed` as lowercase hex (64 characters).
    static func hex(_ seed: String) -> String { Hex.encode(SHA256.hash(Array(seed.utf8))) }

    /// `count` characters from `[A-Za-z0-9]` derived from `seed`.
    static func alphanumeric(_ seed: String, count: Int) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        var bytes: [UInt8] = []
        var round = 0
        while bytes.count < count {
            bytes += SHA256.hash(Array("\(seed)#\(round)".utf8))
            round += 1
        }
        return String(bytes.prefix(count).map { alphabet[Int($0) % alphabet.count] })
    }

    /// A decimal id shaped like a Discord snowflake (18–19 digits) derived from `seed`.
    static func snowflake(_ seed: String) -> String {
        let bytes = SHA256.hash(Array(seed.utf8))
        let value = bytes.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return String(1_000_000_000_000_000_000 + value % 8_000_000_000_000_000_000)
    }

    /// A fresh Matrix event id: `$` and 43 URL-safe base64 characters.
    static func matrixEventID() -> String {
        let digest = SHA256.hash(Array(UUID().uuidString.utf8))
        let text = Data(digest).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
        return "$" + text
    }

    /// A timestamp as Google and Discord write it, e.g. `2026-08-06T10:15:30.123456Z`.
    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}
