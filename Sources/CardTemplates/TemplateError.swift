/// A template that cannot be loaded: bad JSON, or a binding that does not compile.
///
/// The description names the template, the JSON path of the string holding the binding and the
/// column inside that string, e.g. `teams.json: body[2].items[0].text, column 14: unknown function 'fromat'`.
public struct TemplateError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The template's name (its file path when loaded from a file).
    public var template: String
    /// Where the faulty string is, e.g. `body[2].items[0].text`; empty for JSON syntax errors
    /// and file errors.
    public var jsonPath: String
    /// For JSON syntax errors, the 1-based line in the template text.
    public var line: Int?
    /// 1-based column: inside the string for binding errors, in the line for JSON syntax errors.
    public var column: Int?
    /// What is wrong, in a few words.
    public var message: String

    /// An error in `template` at `jsonPath` (and `line` for JSON syntax errors), `column`, saying `message`.
    public init(template: String, jsonPath: String = "", line: Int? = nil, column: Int? = nil, message: String) {
        self.template = template
        self.jsonPath = jsonPath
        self.line = line
        self.column = column
        self.message = message
    }

    /// `template: path, line L, column C: message`, leaving out the parts that are unknown.
    public var description: String {
        var location: [String] = []
        if !jsonPath.isEmpty { location.append(jsonPath) }
        if let line { location.append("line \(line)") }
        if let column { location.append("column \(column)") }
        let place = location.isEmpty ? "" : " " + location.joined(separator: ", ") + ":"
        return "\(template):\(place) \(message)"
    }
}
