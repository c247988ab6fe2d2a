import Foundation

/// Fresh identifiers in the formats Preservica uses.
enum RandomIdentifier {
    /// A lowercase hyphenated UUID (tokens, challenge codes).
    static func uuid() -> String { UUID().uuidString.lowercased() }

    /// 32 lowercase hex characters (subscription ids).
    static func hex32() -> String { UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "") }
}
