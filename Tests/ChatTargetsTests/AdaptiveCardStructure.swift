import JSON

/// A small structural check of a card against what Adaptive Cards 1.4 allows in a Teams
/// Workflows post: known element and action types, and where each may appear.
enum AdaptiveCardStructure {
    /// Element types of Adaptive Cards 1.4 (`Table` and the rest arrived in 1.5).
    static let elements: Set<String> = [
        "TextBlock", "RichTextBlock", "Image", "ImageSet", "Media", "FactSet", "Container", "ColumnSet", "ActionSet",
        "Input.Text", "Input.Number", "Input.Date", "Input.Time", "Input.Toggle", "Input.ChoiceSet",
    ]
    /// Actions an incoming webhook card may carry (no `Action.Submit`, no `Action.Execute`).
    static let actions: Set<String> = ["Action.OpenUrl", "Action.ShowCard", "Action.ToggleVisibility"]

    /// What is wrong with `card`, in words.
    static func problems(_ card: JSONValue) -> [String] {
        var found: [String] = []
        if card.text("type") != "AdaptiveCard" { found.append("type is not AdaptiveCard") }
        if card.text("version") != "1.4" { found.append("version is not 1.4") }
        for element in card.items("body") { check(element: element, at: "body", into: &found) }
        for action in card.items("actions") { check(action: action, at: "actions", into: &found) }
        return found
    }

    private static func check(element: JSONValue, at path: String, into found: inout [String]) {
        let type = element.text("type")
        let here = "\(path)/\(type)"
        guard elements.contains(type) else {
            found.append("\(here): not an Adaptive Card 1.4 element")
            return
        }
        if let action = element["selectAction"] { check(action: action, at: here + ".selectAction", into: &found) }
        switch type {
        case "TextBlock":
            if element.text("text").isEmpty { found.append("\(here): empty text") }
        case "FactSet":
            let facts = element.items("facts")
            if facts.isEmpty { found.append("\(here): no facts") }
            for fact in facts where fact.text("title").isEmpty || fact["value"]?.stringValue == nil {
                found.append("\(here): a fact needs a title and a text value")
            }
        case "Container":
            for item in element.items("items") { check(element: item, at: here, into: &found) }
        case "ColumnSet":
            for column in element.items("columns") {
                if column.text("type") != "Column" { found.append("\(here): a column of type \(column.text("type"))") }
                if let action = column["selectAction"] { check(action: action, at: here + "/Column.selectAction", into: &found) }
                for item in column.items("items") { check(element: item, at: here + "/Column", into: &found) }
            }
        case "ActionSet":
            for action in element.items("actions") { check(action: action, at: here, into: &found) }
        default:
            break
        }
    }

    private static func check(action: JSONValue, at path: String, into found: inout [String]) {
        let type = action.text("type")
        guard actions.contains(type) else {
            found.append("\(path): \(type) is not an action for incoming webhooks")
            return
        }
        if type == "Action.OpenUrl" && !action.text("url").hasPrefix("https://") {
            found.append("\(path): Action.OpenUrl without an https url")
        }
    }
}
