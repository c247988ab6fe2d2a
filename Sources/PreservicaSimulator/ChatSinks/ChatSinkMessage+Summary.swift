import Foundation
import JSON

extension ChatSinkMessage {
    /// The card's first lines of text, as a reader would see them at a glance: the first two
    /// `title`, `text`, `content`, `body`, `summary` or `fallback` strings in document order,
    /// whatever the service's envelope (an Adaptive Card's TextBlocks, Slack's `text`, a Discord
    /// embed's title, Matrix's `body`…), each cut to one line.
    public var titleLine: String {
        guard let json else { return bodyText.isEmpty ? "(empty body)" : "(not JSON)" }
        var found: [String] = []
        func collect(_ value: JSONValue) {
            guard found.count < 2 else { return }
            switch value {
            case .object(let object):
                for (key, member) in object {
                    if case .string(let text) = member, Self.textKeys.contains(key), let line = Self.firstLine(text) {
                        found.append(line)
                        if found.count == 2 { return }
                    } else {
                        collect(member)
                    }
                }
            case .array(let items):
                for item in items { collect(item) }
            default: break
            }
        }
        collect(json)
        return found.isEmpty ? "(no text)" : found.joined(separator: " | ")
    }

    private static let textKeys: Set<String> = ["title", "text", "content", "body", "summary", "fallback"]

    private static func firstLine(_ text: String) -> String? {
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init)?.trimmingCharacters(in: .whitespaces) ?? ""
        guard !line.isEmpty else { return nil }
        return line.count > 80 ? String(line.prefix(79)) + "…" : line
    }
}
