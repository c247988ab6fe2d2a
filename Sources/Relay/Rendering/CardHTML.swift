import Foundation
import JSON

/// A plain HTML picture of a rendered card, so a curator can look at it in a browser instead of
/// reading JSON. Adaptive Cards get their text blocks, fact sets, images, columns and buttons;
/// other payloads are shown as indented JSON. No script, no external resource.
public enum CardHTML {
    /// A whole HTML page showing `card`, titled `title`.
    public static func page(_ card: JSONValue, title: String) -> String {
        let body: String
        if card.objectValue?["type"] == .string("AdaptiveCard") {
            body = "<div class=\"card\">" + elements(card.objectValue?["body"]?.arrayValue ?? [])
                + actions(card.objectValue?["actions"]?.arrayValue ?? []) + "</div>"
        } else {
            body = "<pre>" + escape(JSONWriter.pretty(card)) + "</pre>"
        }
        return """
        <!doctype html>
        <html><head><meta charset="utf-8"><title>\(escape(title))</title>
        <style>
        body{font-family:system-ui,sans-serif;background:#f3f2f1;margin:2em}
        .card{background:#fff;border-radius:6px;box-shadow:0 1px 3px #0003;padding:16px;max-width:640px}
        .large{font-size:1.3em}.medium{font-size:1.1em}.small{font-size:.85em}.bolder{font-weight:600}
        .subtle{color:#605e5c}.attention{color:#a4262c}.good{color:#107c10}.warning{color:#797600}.accent{color:#0f6cbd}
        table.facts td{padding:2px 12px 2px 0;vertical-align:top}table.facts td:first-child{font-weight:600}
        .columns{display:flex;gap:12px}.button{display:inline-block;margin:8px 8px 0 0;padding:6px 12px;border:1px solid #8a8886;border-radius:4px;color:#0f6cbd;text-decoration:none}
        img{max-width:100%}pre{background:#fff;padding:16px;white-space:pre-wrap}
        </style></head><body>
        \(body)
        </body></html>
        """
    }

    private static func elements(_ items: [JSONValue]) -> String {
        items.map(element).joined()
    }

    private static func element(_ value: JSONValue) -> String {
        guard let object = value.objectValue else { return "" }
        switch object["type"]?.stringValue {
        case "TextBlock":
            var classes = [object["size"]?.stringValue, object["weight"]?.stringValue, object["color"]?.stringValue]
                .compactMap { $0?.lowercased() }
            if object["isSubtle"] == .bool(true) { classes.append("subtle") }
            return "<p class=\"\(classes.joined(separator: " "))\">\(markdown(object["text"]?.stringValue ?? ""))</p>"
        case "FactSet":
            let rows = (object["facts"]?.arrayValue ?? []).compactMap(\.objectValue).map {
                "<tr><td>\(markdown($0["title"]?.stringValue ?? ""))</td><td>\(markdown($0["value"]?.stringValue ?? ""))</td></tr>"
            }
            return "<table class=\"facts\">\(rows.joined())</table>"
        case "Image":
            guard let source = webURL(object["url"]?.stringValue) else { return "" }
            return "<img src=\"\(escape(source))\" alt=\"\(escape(object["altText"]?.stringValue ?? ""))\">"
        case "Container":
            return "<div>" + elements(object["items"]?.arrayValue ?? []) + "</div>"
        case "ColumnSet":
            let columns = (object["columns"]?.arrayValue ?? []).compactMap(\.objectValue).map {
                "<div>" + elements($0["items"]?.arrayValue ?? []) + "</div>"
            }
            return "<div class=\"columns\">\(columns.joined())</div>"
        case "ActionSet":
            return actions(object["actions"]?.arrayValue ?? [])
        default:
            return ""
        }
    }

    private static func actions(_ items: [JSONValue]) -> String {
        items.compactMap(\.objectValue).map { action in
            let title = escape(action["title"]?.stringValue ?? "Open")
            if let url = webURL(action["url"]?.stringValue) {
                return "<a class=\"button\" href=\"\(escape(url))\">\(title)</a>"
            }
            return "<span class=\"button\">\(title)</span>"
        }.joined()
    }

    /// The small Markdown subset Adaptive Cards support: `[text](url)`, `**bold**`, line breaks.
    private static func markdown(_ text: String) -> String {
        var out = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "[") {
            out += bold(escape(String(rest[..<open])))
            let after = rest[rest.index(after: open)...]
            if let close = after.firstIndex(of: "]"), after[after.index(after: close)...].hasPrefix("("),
               let end = after[close...].firstIndex(of: ")") {
                let label = after[..<close]
                let url = after[after.index(close, offsetBy: 2)..<end]
                if let url = webURL(String(url)) {
                    out += "<a href=\"\(escape(url))\">\(escape(String(label)))</a>"
                } else {
                    out += escape(String(label))
                }
                rest = after[after.index(after: end)...]
            } else {
                out += "["
                rest = after
            }
        }
        out += bold(escape(String(rest)))
        return out.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "<br>")
    }

    private static func bold(_ html: String) -> String {
        let parts = html.split(separator: "**", omittingEmptySubsequences: false)
        guard parts.count >= 3 else { return html }
        return parts.enumerated().map { $0.offset % 2 == 1 && $0.offset < parts.count - 1 ? "<b>\($0.element)</b>" : String($0.element) }
            .joined()
    }

    /// `url` when it is an `http` or `https` link; anything else (`javascript:`, `data:`, a
    /// relative path) never becomes a link or an image in the picture.
    static func webURL(_ url: String?) -> String? {
        guard let url = url?.trimmingCharacters(in: .whitespaces) else { return nil }
        let lower = url.lowercased()
        return lower.hasPrefix("https://") || lower.hasPrefix("http://") ? url : nil
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
