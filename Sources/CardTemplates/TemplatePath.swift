/// The JSON path of a value inside a template, as authors write it: `body[2].items[0].text`.
struct TemplatePath: Sendable, CustomStringConvertible {
    private var components: [String] = []

    /// The path one member deeper; keys that are not plain names are written `['like this']`.
    func appending(key: String) -> TemplatePath {
        var path = self
        let plain = !key.isEmpty && key.unicodeScalars.allSatisfy { scalar in
            (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z") || (scalar >= "0" && scalar <= "9")
                || scalar == "_" || scalar == "$" || scalar == "@" || scalar == "-"
        }
        if plain {
            path.components.append(path.components.isEmpty ? key : "." + key)
        } else {
            path.components.append("['" + key.replacing("\\", with: "\\\\").replacing("'", with: "\\'") + "']")
        }
        return path
    }

    /// The path one array item deeper.
    func appending(index: Int) -> TemplatePath {
        var path = self
        path.components.append("[\(index)]")
        return path
    }

    /// The path, or `(root)` for the template itself.
    var description: String { components.isEmpty ? "(root)" : components.joined() }
}
