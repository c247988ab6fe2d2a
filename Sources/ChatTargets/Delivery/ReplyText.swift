import Foundation

/// Reply bodies in reasons.
enum ReplyText {
    /// The start of a reply body, for a dead letter's reason.
    static func excerpt(_ text: String) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: " ")
        return flat.count > 300 ? String(flat.prefix(300)) + "…" : flat
    }
}
