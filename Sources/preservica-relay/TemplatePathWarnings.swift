import CardTemplates
import JSON
import Relay

/// Warnings for template paths the data model does not have: `${asset.titel}` renders null, and
/// a chat service shows an empty field or refuses the card.
enum TemplatePathWarnings {
    /// The warning lines for `template`, each prefixed with `name`; `extra` is data the template is
    /// rendered with besides the relay's model (a `render --data` file).
    static func lines(for template: CardTemplate, name: String, extra: JSONValue = .null) -> [String] {
        TemplateModelSample.unknownPaths(in: template, extra: extra).map {
            "\(name): warning: \($0.jsonPath): ${\($0.path)} is not in the data model (docs/templates.md); it renders as null"
        }
    }
}
