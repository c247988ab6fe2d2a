import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A parsed XML element, keyed by local name so Preservica 6.x, 7.x and 8.x namespaces all read
/// the same way.
public struct XMLNode: Sendable, Equatable {
    /// The local name (no prefix).
    public var name: String
    /// The namespace URI, if any.
    public var namespace: String?
    /// Attributes by local name.
    public var attributes: [String: String]
    /// The concatenated character data directly inside this element, trimmed.
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
        for child in children {
            if child.name == name { found.append(child) }
            found += child.all(name)
        }
        return found
    }

    /// The text of the first element named `name` below this one, if it is not empty.
    public func text(of name: String) -> String? {
        guard let text = first(name)?.text, !text.isEmpty else { return nil }
        return text
    }

    /// Parses a document and returns its root element.
    public static func parse(_ bytes: [UInt8]) throws(PreservicaError) -> XMLNode {
        let builder = XMLTreeBuilder()
        let parser = XMLParser(data: Data(bytes))
        parser.shouldProcessNamespaces = true
        parser.shouldResolveExternalEntities = false
        parser.delegate = builder
        guard parser.parse(), let root = builder.root else {
            let reason = parser.parserError.map { "\(($0 as NSError).code)" } ?? "empty document"
            throw PreservicaError.invalidResponse("XML that cannot be read (parser error \(reason))")
        }
        return root
    }
}

/// Builds ``XMLNode`` trees from XMLParser's callbacks.
private final class XMLTreeBuilder: NSObject, XMLParserDelegate {
    private var stack: [XMLNode] = []
    private var texts: [String] = []
    var root: XMLNode?

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        var attributes: [String: String] = [:]
        for (key, value) in attributeDict {
            attributes[String(key.split(separator: ":").last ?? Substring(key))] = value
        }
        let local = String(elementName.split(separator: ":").last ?? Substring(elementName))
        stack.append(XMLNode(name: local, namespace: namespaceURI, attributes: attributes, text: "", children: []))
        texts.append("")
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if !texts.isEmpty { texts[texts.count - 1] += string }
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        if !texts.isEmpty { texts[texts.count - 1] += String(decoding: CDATABlock, as: UTF8.self) }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        guard var node = stack.popLast() else { return }
        node.text = (texts.popLast() ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if stack.isEmpty {
            root = node
        } else {
            stack[stack.count - 1].children.append(node)
        }
    }
}
