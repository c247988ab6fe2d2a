// libFuzzer entry point for the XML reader. Built by scripts/fuzz-xml.sh together with the
// reader's own source files (Sources/Preservica/XML), so the code fuzzed is the code that reads
// Preservica's replies. Only PreservicaError is stood in for below: the real one imports the
// outbound HTTP client (and with it Foundation) for a case the reader never uses.

public enum PreservicaError: Error, Equatable {
    case invalidResponse(String)
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzXMLReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let root: XMLNode
    do {
        root = try XMLNode.parse(bytes)
    } catch {
        checkRefusal(error, size: size)
        return 0
    }
    check(root, depth: 1)
    // What was read, written back out as XML, must read back as the same tree: no character,
    // namespace or attribute is lost or changed by escaping, normalization or trimming.
    var written: [UInt8] = []
    write(root, to: &written)
    do {
        let again = try XMLNode.parse(written)
        precondition(again == root, "the tree written back out reads differently")
    } catch {
        preconditionFailure("the tree written back out is refused: \(error)")
    }
    return 0
}

/// A refusal is `XML that cannot be read (<reason> at line <n>, byte <offset>)`, the offset
/// within the document.
private func checkRefusal(_ error: PreservicaError, size: Int) {
    guard case .invalidResponse(let message) = error else { preconditionFailure("unexpected error") }
    let prefix = "XML that cannot be read ("
    precondition(message.hasPrefix(prefix) && message.hasSuffix(")"), "unexpected message shape")
    guard let range = message.ranges(of: ", byte ").last else { preconditionFailure("no byte offset") }
    let offset = Int(message[range.upperBound...].dropLast())
    precondition(offset != nil && offset! >= 0 && offset! <= size, "offset outside the document")
    precondition(message.contains(" at line "), "no line")
}

private func check(_ node: XMLNode, depth: Int) {
    precondition(depth <= 256, "deeper than the maximum")
    precondition(isName(node.name), "bad element name")
    precondition(node.namespace != nil, "no namespace resolved")
    precondition(node.namespace != "http://www.w3.org/2000/xmlns/", "element in the xmlns namespace")
    for (name, _) in node.attributes { precondition(isName(name), "bad attribute name") }
    let scalars = node.text.unicodeScalars
    precondition(scalars.first.map { !$0.properties.isWhitespace } ?? true, "text starts with white space")
    precondition(scalars.last.map { !$0.properties.isWhitespace } ?? true, "text ends with white space")
    for child in node.children { check(child, depth: depth + 1) }
}

private func isName(_ name: String) -> Bool { !name.isEmpty && !name.contains(":") }

// MARK: - Writing a tree back out

private let attributeNamespace = "urn:fuzz:attributes"
private let xmlNamespace = "http://www.w3.org/XML/1998/namespace"

/// Writes `node` with its own namespace declared on it (or as `xml:` for the xml namespace), its
/// attributes under one declared prefix, its text, then its children.
private func write(_ node: XMLNode, to out: inout [UInt8]) {
    let name = node.namespace == xmlNamespace ? "xml:" + node.name : node.name
    out += Array("<\(name)".utf8)
    if node.namespace != xmlNamespace {
        out += Array(" xmlns=\"".utf8)
        escape(node.namespace ?? "", attribute: true, to: &out)
        out += Array("\"".utf8)
    }
    if !node.attributes.isEmpty {
        out += Array(" xmlns:a=\"\(attributeNamespace)\"".utf8)
        for (key, value) in node.attributes.sorted(by: { $0.key < $1.key }) {
            out += Array(" a:\(key)=\"".utf8)
            escape(value, attribute: true, to: &out)
            out += Array("\"".utf8)
        }
    }
    out += Array(">".utf8)
    escape(node.text, attribute: false, to: &out)
    for child in node.children { write(child, to: &out) }
    out += Array("</\(name)>".utf8)
}

private func escape(_ text: String, attribute: Bool, to out: inout [UInt8]) {
    for byte in text.utf8 {
        switch byte {
        case UInt8(ascii: "&"): out += Array("&amp;".utf8)
        case UInt8(ascii: "<"): out += Array("&lt;".utf8)
        case UInt8(ascii: ">"): out += Array("&gt;".utf8)
        case UInt8(ascii: "\""): out += Array("&quot;".utf8)
        case UInt8(ascii: "\r"): out += Array("&#13;".utf8)
        case UInt8(ascii: "\n") where attribute: out += Array("&#10;".utf8)
        case UInt8(ascii: "\t") where attribute: out += Array("&#9;".utf8)
        default: out.append(byte)
        }
    }
}
