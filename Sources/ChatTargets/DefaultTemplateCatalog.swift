import CardTemplates

/// The embedded default templates, compiled once on first use.
struct DefaultTemplateCatalog: Sendable {
    /// Every default template, compiled.
    static let shared = DefaultTemplateCatalog(texts: DefaultTemplates.texts)

    private let templates: [String: CardTemplate]

    /// Compiles `texts` (name → template text). A default template that does not compile is a
    /// defect of the build, not of the configuration, and the tests compile every one of them.
    init(texts: [String: String]) {
        var templates: [String: CardTemplate] = [:]
        for (name, text) in texts {
            do {
                templates[name] = try CardTemplate(name: "default template \(name)", text: text)
            } catch {
                preconditionFailure("\(error)")
            }
        }
        self.templates = templates
    }

    /// The template called `name` (`<target>-<kind>`).
    func template(named name: String) -> CardTemplate {
        guard let template = templates[name] else { preconditionFailure("no default template \(name)") }
        return template
    }
}
