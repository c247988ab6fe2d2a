import Foundation
import JSON

/// An Adaptive Cards template, compiled once and rendered many times.
///
/// ```swift
/// let template = try CardTemplate(contentsOfFile: "templates/teams-ingest.json")
/// let card = template.render(model)   // a JSONValue, always valid JSON
/// ```
///
/// Bindings (`${…}`), `$data`, `$when`, `$root` and `$index` follow Microsoft's Adaptive Cards
/// Templating language; see docs/templates-language.md for the details and the choices made
/// where Microsoft's documentation is silent.
public struct CardTemplate: Sendable {
    /// The name used in error messages (the file path when loaded from a file).
    public let name: String
    let body: TemplateNode
    /// The root object's `$data` when it is plain JSON (inline sample data), used as `$root`
    /// when the template is rendered without data.
    private let inlineData: JSONValue?

    /// Compiles a template from its JSON tree. Throws on the first binding that does not compile.
    public init(name: String, json: JSONValue) throws(TemplateError) {
        self.name = name
        body = try TemplateCompiler(templateName: name).compile(json)
        if case .object(let object) = json, let data = object["$data"], case .object(let root) = body,
           case .constant = root.data {
            inlineData = data
        } else {
            inlineData = nil
        }
    }

    /// Parses JSON text (syntax errors carry line and column) and compiles it.
    public init(name: String, text: String) throws(TemplateError) {
        let json: JSONValue
        do {
            json = try JSONParser.parse(text)
        } catch {
            throw TemplateError(template: name, line: error.line, column: error.column, message: "invalid JSON: \(error.message)")
        }
        try self.init(name: name, json: json)
    }

    /// Reads, parses and compiles the template at `path`; the path is the template's name.
    public init(contentsOfFile path: String) throws(TemplateError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TemplateError(template: path, message: "cannot read the file")
        }
        let json: JSONValue
        do {
            json = try JSONParser.parse([UInt8](data))
        } catch {
            throw TemplateError(template: path, line: error.line, column: error.column, message: "invalid JSON: \(error.message)")
        }
        try self.init(name: path, json: json)
    }

    /// The card for `data`. Never fails: undefined paths render as null (or nothing inside text).
    ///
    /// `$root` is `data`; when `data` is null and the root object carries inline `$data`, that
    /// inline data is `$root`. A root object dropped by `$when` renders as null.
    public func render(_ data: JSONValue) -> JSONValue {
        let root = data == .null ? (inlineData ?? .null) : data
        return body.render(ExpressionScope(data: data, root: root)) ?? .null
    }
}
