/// A parsed XML element, keyed by local name so Preservica 6.x, 7.x and 8.x namespaces all read
/// the same way.
public struct XMLNode: Sendable, Equatable {
    /// The local name (no prefix).
    public var name: String
    /// The namespace URI resolved from the `xmlns` declarations in scope; "" when the element is
    /// in no namespace. (Always set by ``parse(_:)``; optional for nodes built by hand.)
    public var namespace: String?
    /// Attributes by local name.
    public var attributes: [String: String]
    /// The concatenated character data directly inside this element (CDATA included, references
    /// decoded), trimmed of white space and newlines at both ends.
    public var text: String
    /// Child elements in order.
    public var children: [XMLNode]

    /// The first direct child named `name`.
    public func child(_ name: String) -> XMLNode? { children.first { $0.name == name } }

    /// Every direct child named `name`.
    public func children(_ name: String) -> [XMLNode] { children.filter { $0.name == name } }

    /// The first element named `name` at any depth below this one (document order).
    public func first(_ name: String) -> XMLNode? {
        for child in children {
            if child.name == name { return child }
            if let found = child.first(name) { return found }
        }
        return nil
    }

    /// Every element named `name` at any depth below this one (document order).
    public func all(_ name: String) -> [XMLNode] {
        var found: [XMLNode] = []
        collect(name, into: &found)
        return found
    }

    /// Appends the elements named `name` below this one to `found`: one array for the whole walk,
    /// so each match is copied once, however deep it is.
    private func collect(_ name: String, into found: inout [XMLNode]) {
        for child in children {
            if child.name == name { found.append(child) }
            child.collect(name, into: &found)
        }
    }

    /// The text of the first element named `name` below this one, if it is not empty.
    public func text(of name: String) -> String? {
        guard let text = first(name)?.text, !text.isEmpty else { return nil }
        return text
    }

    /// Parses a document and returns its root element, with ``XMLReader``: strict XML 1.0 with
    /// namespaces, UTF-8 only, no DOCTYPE (so no entity expansion and no external entities), at
    /// most ``XMLReader/maximumDepth`` levels deep. A document it refuses is an
    /// `invalidResponse` naming the reason, line and byte offset, never the document's text.
    public static func parse(_ bytes: [UInt8]) throws(PreservicaError) -> XMLNode {
        var reader = XMLReader(bytes)
        do {
            return try reader.readDocument()
        } catch {
            throw PreservicaError.invalidResponse("XML that cannot be read (\(error.description(in: bytes)))")
        }
    }
}
