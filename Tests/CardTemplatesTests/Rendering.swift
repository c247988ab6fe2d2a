import CardTemplates
import JSON

/// Shared shortcuts for the suites: parse JSON text, render a template text over data text.
enum Rendering {
    static func json(_ text: String) throws -> JSONValue {
        try JSONParser.parse(text)
    }

    /// Renders `template` over `data` and returns compact JSON text.
    static func render(_ template: String, _ data: String = "{}") throws -> String {
        let compiled = try CardTemplate(name: "test.json", text: template)
        return JSONWriter.string(compiled.render(try json(data)))
    }

    /// The value of a single exact binding `${expression}` over `data`.
    static func evaluate(_ expression: String, _ data: String = "{}") throws -> JSONValue {
        let compiled = try CardTemplate(name: "test.json", json: .array([.string("${" + expression + "}")]))
        guard case .array(let items) = compiled.render(try json(data)), items.count == 1 else { return .string("<no value>") }
        return items[0]
    }

    /// The compile error of a template, if any.
    static func error(_ template: String) -> TemplateError? {
        do {
            _ = try CardTemplate(name: "card.json", text: template)
            return nil
        } catch {
            return error
        }
    }
}
