import Foundation
import JSON
import ChatTargets

/// A plain HTML picture of a rendered card, so a curator can look at it in a browser instead of
/// reading JSON. Adaptive Cards are drawn as Teams draws them in its light theme (the Teams host
/// config's font sizes, spacing, container styles and colours; the FactSet's two columns; buttons
/// in a row; the card's width); other payloads are shown as indented JSON. No script, and only
/// `http` and `https` links; the only resource from elsewhere is an `Image` element's picture,
/// which a custom template may have (the default cards have none).
public enum CardHTML {
    /// A whole HTML page showing `card`, titled `title`. `clock` writes Adaptive Cards'
    /// `{{DATE()}}` and `{{TIME()}}` as a reader in its display zone would see them.
    public static func page(_ card: JSONValue, title: String, clock: CardClock = CardClock()) -> String {
        document(title: title, body: figure(card, clock: clock))
    }

    /// Several cards on one page, each under its heading (`preview --gallery`).
    public static func gallery(_ cards: [(heading: String, card: JSONValue)], title: String, clock: CardClock = CardClock()) -> String {
        let sections = cards.map { "<section><h2>\(escape($0.heading))</h2>\(figure($0.card, clock: clock))</section>" }.joined()
        return document(title: title, body: "<h1>\(escape(title))</h1>" + sections)
    }

    /// The picture of one card: an Adaptive Card drawn, anything else as JSON.
    static func figure(_ card: JSONValue, clock: CardClock) -> String {
        guard card.objectValue?["type"] == .string("AdaptiveCard") else {
            return "<pre class=\"json\">" + escape(JSONWriter.pretty(card)) + "</pre>"
        }
        let full = card.objectValue?["msteams"]?.objectValue?["width"] == .string("Full")
        var renderer = AdaptiveCardHTML(clock: clock)
        return "<div class=\"ac-card\(full ? " ac-full" : "")\" role=\"article\">"
            + renderer.elements(card.objectValue?["body"]?.arrayValue ?? [])
            + renderer.actions(card.objectValue?["actions"]?.arrayValue ?? []) + "</div>"
    }

    private static func document(title: String, body: String) -> String {
        """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>\(escape(title))</title>
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <style>\(AdaptiveCardHTML.styleSheet)</style></head><body>
        \(body)
        </body></html>
        """
    }

    /// `url` when it is an `http` or `https` link; anything else (`javascript:`, `data:`, a
    /// relative path) never becomes a link or an image in the picture.
    static func webURL(_ url: String?) -> String? {
        guard let url = url?.trimmingCharacters(in: .whitespaces) else { return nil }
        let lower = url.lowercased()
        return lower.hasPrefix("https://") || lower.hasPrefix("http://") ? url : nil
    }

    /// `text` for HTML text or a quoted attribute, read scalar by scalar as a browser reads it
    /// (the chat targets' own entity escaping).
    public static func escape(_ text: String) -> String {
        TextDefusing.entities(text, quotes: true)
    }
}
