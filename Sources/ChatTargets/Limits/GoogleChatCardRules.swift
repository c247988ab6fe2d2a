import JSON

/// Google Chat's card limit (Card reference, developers.google.com/workspace/chat/api/reference/rest/v1/Card):
/// "You can add up to 100 widgets per card. If a section's widgets push the total count above
/// 100, that entire section and all following sections are ignored." Nothing refuses such a card:
/// it is posted with its later sections missing (often the "Open in Preservica" button), so the
/// relay counts the widgets of each card in `cardsV2` before sending.
enum GoogleChatCardRules {
    /// The most widgets one card may hold.
    static let maxWidgets = 100

    static func problems(_ body: JSONValue) -> [String] {
        var found: [String] = []
        for (index, entry) in (body.objectValue?["cardsV2"]?.arrayValue ?? []).enumerated() {
            let sections = entry.objectValue?["card"]?.objectValue?["sections"]?.arrayValue ?? []
            let widgets = sections.reduce(0) { $0 + ($1.objectValue?["widgets"]?.arrayValue?.count ?? 0) }
            if widgets > maxWidgets { found.append("card \(index + 1) has \(widgets) widgets, over \(maxWidgets)") }
        }
        return found
    }
}
