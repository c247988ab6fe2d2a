/// A start tag or empty-element tag (`<name attr="value">`, `<name/>`), read and resolved
/// against the namespaces in scope: its own `xmlns` declarations are bound first, then its name
/// and its prefixed attributes are looked up.
struct XMLStartTag {
    /// The name as written, which the end tag must repeat.
    let name: XMLQualifiedName
    /// The element without text or children: local name, namespace URI ("" for no namespace)
    /// and attributes by local name.
    let node: XMLNode
    /// The prefixes this tag declared ("" for a default namespace); they go out of scope when it closes.
    let declaredPrefixes: [String]
    /// An empty-element tag (`<name/>`): the element is complete.
    let isEmpty: Bool

    private struct Attribute {
        let name: XMLQualifiedName
        let value: String
        let offset: Int
    }

    /// Reads the tag at `cursor` (which is at its `<`) and binds its declarations in `scope`.
    static func read(_ cursor: inout XMLByteCursor, scope: inout XMLNamespaceScope) throws(XMLReadError) -> XMLStartTag {
        let start = cursor.position
        cursor.position += 1  // "<"
        let name = try cursor.readQualifiedName("a start tag without a name")
        var attributes: [Attribute] = []
        var written: Set<XMLQualifiedName> = []
        var isEmpty = false
        while true {
            let spaced = cursor.skipSpace()
            if cursor.skip(">") { break }
            if cursor.skip("/>") {
                isEmpty = true
                break
            }
            guard !cursor.atEnd else { throw cursor.failure("a start tag the document ends inside", at: start) }
            guard spaced else { throw cursor.failure("a malformed start tag") }
            let offset = cursor.position
            let attributeName = try cursor.readQualifiedName("a malformed start tag")
            guard written.insert(attributeName).inserted else { throw cursor.failure("a repeated attribute", at: offset) }
            cursor.skipSpace()
            try cursor.expect("=", "an attribute without a value")
            cursor.skipSpace()
            let value = try readValue(&cursor)
            attributes.append(Attribute(name: attributeName, value: value, offset: offset))
        }

        var declared: [String] = []
        for attribute in attributes {
            guard let prefix = declaredPrefix(attribute.name) else { continue }
            try checkDeclaration(prefix, attribute.value, cursor: cursor, at: attribute.offset)
            scope.declare(prefix, attribute.value)
            declared.append(prefix)
        }

        guard let namespace = scope.uri(for: name.prefix ?? "") ?? (name.prefix == nil ? "" : nil) else {
            throw cursor.failure("an element with an undeclared namespace prefix", at: start)
        }
        var values: [String: String] = [:]
        var expanded: Set<[String]> = []
        for attribute in attributes where declaredPrefix(attribute.name) == nil {
            if let prefix = attribute.name.prefix {
                guard let uri = scope.uri(for: prefix) else {
                    throw cursor.failure("an attribute with an undeclared namespace prefix", at: attribute.offset)
                }
                guard expanded.insert([uri, attribute.name.local]).inserted else {
                    throw cursor.failure("a repeated attribute", at: attribute.offset)
                }
            }
            // Keyed by local name: of `type` and `xsi:type` on one element, the later one is kept.
            values[attribute.name.local] = attribute.value
        }
        let node = XMLNode(name: name.local, namespace: namespace, attributes: values, text: "", children: [])
        return XMLStartTag(name: name, node: node, declaredPrefixes: declared, isEmpty: isEmpty)
    }

    /// The prefix an `xmlns` or `xmlns:prefix` attribute declares ("" for the default namespace);
    /// nil for any other attribute.
    private static func declaredPrefix(_ name: XMLQualifiedName) -> String? {
        if name.prefix == nil && name.local == "xmlns" { return "" }
        return name.prefix == "xmlns" ? name.local : nil
    }

    /// The rules of Namespaces in XML 1.0 for a declaration.
    private static func checkDeclaration(_ prefix: String, _ uri: String, cursor: XMLByteCursor, at offset: Int) throws(XMLReadError) {
        if prefix == "xmlns" || uri == XMLNamespaceScope.xmlnsNamespace {
            throw cursor.failure("a declaration of the reserved xmlns prefix or namespace", at: offset)
        }
        if (prefix == "xml") != (uri == XMLNamespaceScope.xmlNamespace) {
            throw cursor.failure("the xml prefix or its namespace bound otherwise", at: offset)
        }
        if !prefix.isEmpty && uri.isEmpty {
            throw cursor.failure("a prefix bound to an empty namespace name", at: offset)
        }
    }

    /// A quoted attribute value with its references decoded and white space normalized as XML
    /// requires: each literal tab, line feed, carriage return or CR LF pair becomes one space
    /// (a character reference such as `&#10;` keeps its character).
    private static func readValue(_ cursor: inout XMLByteCursor) throws(XMLReadError) -> String {
        guard let quote = cursor.current, quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else {
            throw cursor.failure("an attribute value without quotes")
        }
        let start = cursor.position
        cursor.position += 1
        var value: [UInt8] = []
        while let byte = cursor.current {
            switch byte {
            case quote:
                cursor.position += 1
                return String(decoding: value, as: UTF8.self)
            case UInt8(ascii: "<"):
                throw cursor.failure("a < inside an attribute value")
            case UInt8(ascii: "&"):
                try XMLReference.read(&cursor, into: &value)
            case UInt8(ascii: "\r"):
                value.append(UInt8(ascii: " "))
                cursor.position += 1
                _ = cursor.skip("\n")
            case UInt8(ascii: "\t"), UInt8(ascii: "\n"):
                value.append(UInt8(ascii: " "))
                cursor.position += 1
            default:
                value.append(byte)
                cursor.position += 1
            }
        }
        throw cursor.failure("an attribute value the document ends inside", at: start)
    }
}
