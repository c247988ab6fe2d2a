/// An element whose start tag has been read and whose end tag has not: the node being built,
/// its character data so far, and what closing it must undo.
struct XMLOpenElement {
    /// The name its end tag must repeat.
    let name: XMLQualifiedName
    /// The node, its text and children still to come.
    var node: XMLNode
    /// The character data read directly inside it, references decoded, line ends normalized.
    var text: [UInt8] = []
    /// The prefixes its start tag declared ("" for a default namespace), unbound when it closes.
    let declaredPrefixes: [String]

    /// The finished node: the text decoded and trimmed of white space and newlines at both ends.
    consuming func close() -> XMLNode {
        node.text = Self.trimmed(String(decoding: text, as: UTF8.self))
        return node
    }

    /// `text` without the white space (Unicode `White_Space`, the set Foundation calls
    /// `whitespacesAndNewlines`) at its start and end.
    static func trimmed(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        return String(scalars[first...last])
    }
}
