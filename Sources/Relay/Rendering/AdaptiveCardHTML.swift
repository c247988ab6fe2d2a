import Foundation
import JSON

/// Draws Adaptive Card elements as HTML the way Teams' light theme does: TextBlock (size, weight,
/// colour, subtle, Markdown subset), FactSet, Container (with `style` and `selectAction`),
/// ColumnSet and Column (`auto`, `stretch`, weights), Image, ActionSet and actions; `spacing` and
/// `separator` between elements. Elements it does not know are left out, as an older host would.
struct AdaptiveCardHTML {
    let clock: CardClock

    /// Teams' host config (light theme), approximated in CSS: Segoe UI 14 px, sizes 12/14/14/18/24,
    /// spacing 8/12/16/20/24 and 16 padding; container styles; the card 450 px wide, or the
    /// conversation's width (up to 720 px here) with `msteams.width: "Full"`.
    static let styleSheet = """
    body{font-family:"Segoe UI",system-ui,-apple-system,sans-serif;background:#f5f5f5;margin:24px;color:#242424;font-size:14px;line-height:1.4}
    h1{font-size:20px}h2{font-size:14px;color:#616161;font-weight:600;margin:28px 0 8px}
    .ac-card{background:#fff;border-radius:4px;box-shadow:0 1px 2px #00000024,0 0 2px #0000001f;padding:16px;max-width:450px;box-sizing:border-box}
    .ac-full{max-width:720px}
    .ac-card p{margin:0}.ac-el{margin-top:12px}.ac-el:first-child{margin-top:0}
    .sp-none{margin-top:0}.sp-small{margin-top:8px}.sp-default{margin-top:12px}.sp-medium{margin-top:16px}.sp-large{margin-top:20px}.sp-extralarge{margin-top:24px}
    .sep{border-top:1px solid #e0e0e0;padding-top:8px}
    .sz-small{font-size:12px}.sz-medium{font-size:14px}.sz-large{font-size:18px}.sz-extralarge{font-size:24px}
    .wt-bolder{font-weight:600}.wt-lighter{font-weight:300}.subtle{opacity:.75}
    .c-accent{color:#5b5fc7}.c-good{color:#237b4b}.c-warning{color:#835c00}.c-attention{color:#c4314b}.c-light{color:#fff}.c-dark{color:#242424}
    .al-center{text-align:center}.al-right{text-align:right}
    .st-emphasis,.st-accent,.st-good,.st-attention,.st-warning{padding:12px 16px;margin-left:-16px;margin-right:-16px}
    .st-emphasis{background:#f5f5f5}.st-accent{background:#e8ebfa}.st-good{background:#e7f2da}.st-attention{background:#fcf4f6}.st-warning{background:#fbf6d9}
    .ac-card>.st-emphasis:first-child,.ac-card>.st-accent:first-child,.ac-card>.st-good:first-child,.ac-card>.st-attention:first-child,.ac-card>.st-warning:first-child{margin-top:-16px;border-radius:4px 4px 0 0}
    table.facts{border-collapse:collapse}table.facts td{padding:0 12px 4px 0;vertical-align:top}table.facts td.t{font-weight:600;white-space:nowrap}
    .cols{display:flex;gap:8px}.col-auto{flex:0 0 auto}.col-stretch{flex:1 1 auto;min-width:0}
    a.select{display:block;color:inherit;text-decoration:none}a{color:#5b5fc7}
    .actions{display:flex;flex-wrap:wrap;gap:8px;margin-top:16px}
    .btn{display:inline-block;padding:5px 12px;border:1px solid #d1d1d1;border-radius:4px;color:#242424;background:#fff;font-weight:600;text-decoration:none;font-size:14px}
    img{max-width:100%}pre.json{background:#fff;padding:16px;white-space:pre-wrap;max-width:720px;border-radius:4px}
    ul{margin:0;padding-left:20px}
    """

    init(clock: CardClock) {
        self.clock = clock
    }

    mutating func elements(_ items: [JSONValue]) -> String {
        items.compactMap { element($0) }.joined()
    }

    private mutating func element(_ value: JSONValue) -> String? {
        guard let object = value.objectValue else { return nil }
        if object["isVisible"] == .bool(false) { return nil }
        let inner: String
        var classes = ["ac-el"]
        if let spacing = object["spacing"]?.stringValue?.lowercased() { classes.append("sp-\(spacing)") }
        if object["separator"] == .bool(true) { classes.append("sep") }
        switch object["type"]?.stringValue {
        case "TextBlock":
            classes += textClasses(object)
            inner = "<p>\(markdown(object["text"]?.stringValue ?? ""))</p>"
        case "FactSet":
            let rows = (object["facts"]?.arrayValue ?? []).compactMap(\.objectValue).map {
                "<tr><td class=\"t\">\(markdown($0["title"]?.stringValue ?? ""))</td><td>\(markdown($0["value"]?.stringValue ?? ""))</td></tr>"
            }
            inner = "<table class=\"facts\">\(rows.joined())</table>"
        case "Image":
            guard let source = CardHTML.webURL(object["url"]?.stringValue) else { return nil }
            inner = "<img src=\"\(escape(source))\" alt=\"\(escape(object["altText"]?.stringValue ?? ""))\">"
        case "Container":
            if let style = object["style"]?.stringValue?.lowercased(), style != "default" { classes.append("st-\(style)") }
            inner = selectable(object, elements(object["items"]?.arrayValue ?? []))
        case "ColumnSet":
            let columns = (object["columns"]?.arrayValue ?? []).compactMap(\.objectValue).map { column -> String in
                let width = column["width"]
                let style: String
                switch width {
                case .string("auto"): style = "class=\"col-auto\""
                case .number(let weight): style = "class=\"col-stretch\" style=\"flex-grow:\(Int(min(max(weight, 0), 1000)))\""
                default: style = "class=\"col-stretch\""
                }
                return "<div \(style)>" + selectable(column, elements(column["items"]?.arrayValue ?? [])) + "</div>"
            }
            inner = selectable(object, "<div class=\"cols\">\(columns.joined())</div>")
        case "ActionSet":
            inner = actions(object["actions"]?.arrayValue ?? [])
        default:
            return nil
        }
        return "<div class=\"\(escape(classes.joined(separator: " ")))\">\(inner)</div>"
    }

    private func textClasses(_ object: JSONObject) -> [String] {
        var classes: [String] = []
        if let size = object["size"]?.stringValue?.lowercased(), size != "default" { classes.append("sz-\(size)") }
        if let weight = object["weight"]?.stringValue?.lowercased(), weight != "default" { classes.append("wt-\(weight)") }
        if let color = object["color"]?.stringValue?.lowercased(), color != "default" { classes.append("c-\(color)") }
        if let align = object["horizontalAlignment"]?.stringValue?.lowercased(), align != "left" { classes.append("al-\(align)") }
        if object["isSubtle"] == .bool(true) { classes.append("subtle") }
        return classes
    }

    /// `html` inside a link when the element has an `Action.OpenUrl` `selectAction`.
    private func selectable(_ object: JSONObject, _ html: String) -> String {
        guard let action = object["selectAction"]?.objectValue, let url = CardHTML.webURL(action["url"]?.stringValue) else { return html }
        return "<a class=\"select\" href=\"\(escape(url))\">\(html)</a>"
    }

    func actions(_ items: [JSONValue]) -> String {
        let buttons = items.compactMap(\.objectValue).map { action -> String in
            let title = escape(action["title"]?.stringValue ?? "Open")
            if let url = CardHTML.webURL(action["url"]?.stringValue) {
                return "<a class=\"btn\" href=\"\(escape(url))\">\(title)</a>"
            }
            return "<span class=\"btn\">\(title)</span>"
        }
        return buttons.isEmpty ? "" : "<div class=\"actions\">\(buttons.joined())</div>"
    }

    /// The Markdown subset Adaptive Cards support: `[text](url)` (http and https only), `**bold**`,
    /// `- ` lists, paragraphs at blank lines, line breaks; and `{{DATE()}}`/`{{TIME()}}`.
    func markdown(_ text: String) -> String {
        let localised = dateFunctions(text)
        var paragraphs: [String] = []
        for block in localised.components(separatedBy: "\n\n") {
            let lines = block.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            if !lines.isEmpty, lines.allSatisfy({ $0.hasPrefix("- ") || $0.hasPrefix("* ") }) {
                paragraphs.append("<ul>" + lines.map { "<li>\(inline(String($0.dropFirst(2))))</li>" }.joined() + "</ul>")
            } else {
                paragraphs.append(lines.map(inline).joined(separator: "<br>"))
            }
        }
        return paragraphs.joined(separator: "<br><br>")
    }

    private func inline(_ text: String) -> String {
        var out = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "[") {
            out += emphasis(escape(String(rest[..<open])))
            let after = rest[rest.index(after: open)...]
            if let close = after.firstIndex(of: "]"), after[after.index(after: close)...].hasPrefix("("),
               let end = after[close...].firstIndex(of: ")") {
                let label = after[..<close]
                let url = after[after.index(close, offsetBy: 2)..<end]
                if let url = CardHTML.webURL(String(url)) {
                    out += "<a href=\"\(escape(url))\">\(emphasis(escape(String(label))))</a>"
                } else {
                    out += emphasis(escape(String(label)))
                }
                rest = after[after.index(after: end)...]
            } else {
                out += "["
                rest = after
            }
        }
        return out + emphasis(escape(String(rest)))
    }

    /// `**bold**`. Italic is left out: `_` inside file names would be read as emphasis here
    /// while CommonMark hosts leave intraword underscores alone.
    private func emphasis(_ html: String) -> String {
        wrap(html, "**", "b")
    }

    private func wrap(_ html: String, _ marker: String, _ tag: String) -> String {
        let parts = html.components(separatedBy: marker)
        guard parts.count >= 3 else { return html }
        var out = ""
        for (index, part) in parts.enumerated() {
            if index == 0 { out += part; continue }
            let opening = index % 2 == 1
            if opening && index == parts.count - 1 { out += marker + part; continue }
            out += (opening ? "<\(tag)>" : "</\(tag)>") + part
        }
        return out
    }

    private func dateFunctions(_ text: String) -> String {
        clock.localise(text)
    }

    private func escape(_ text: String) -> String { CardHTML.escape(text) }
}
