import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// A tiny namespace-aware reader over FoundationXML, for asserting on the simulator's XML.
struct XMLTree {
    let root: XMLElement

    init(_ data: Data) throws {
        let document = try XMLDocument(data: data, options: [])
        guard let root = document.rootElement() else { throw CocoaError(.propertyListReadCorrupt) }
        self.root = root
    }

    init(_ exchange: Exchange) throws { try self.init(exchange.body) }
}

extension XMLElement {
    /// Elements with this local name and namespace URI anywhere below (document order).
    func all(_ localName: String, in namespace: String) -> [XMLElement] {
        var found: [XMLElement] = []
        for case let child as XMLElement in children ?? [] {
            if child.localName == localName && child.uri == namespace { found.append(child) }
            found += child.all(localName, in: namespace)
        }
        return found
    }

    /// Direct children with this local name and namespace URI.
    func direct(_ localName: String, in namespace: String) -> [XMLElement] {
        (children ?? []).compactMap { $0 as? XMLElement }.filter { $0.localName == localName && $0.uri == namespace }
    }

    /// The text of the first element with this local name and namespace below, if any.
    func text(_ localName: String, in namespace: String) -> String? {
        all(localName, in: namespace).first?.stringValue
    }

    /// An unprefixed attribute's value. (Looked up by walking the attributes: on Linux,
    /// `attribute(forName:)` misses attributes of elements in a default namespace.)
    func attribute(_ name: String) -> String? {
        (attributes ?? []).first { $0.localName == name || $0.name == name }?.stringValue
    }
}

/// The namespaces a version should answer with.
struct Namespaces {
    let entity: String
    let xip: String
    init(_ label: String) {
        entity = "http://preservica.com/EntityAPI/v\(label)"
        xip = "http://preservica.com/XIP/v\(label)"
    }
}
