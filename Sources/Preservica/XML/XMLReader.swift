/// A strict reader of XML 1.0 with namespaces, for the documents Preservica's Entity API sends.
/// It works on the bytes with a loop and a stack of open elements (no recursion, however deep
/// the document), and builds the ``XMLNode`` tree as it goes.
///
/// Read: an optional UTF-8 BOM; the XML declaration; comments and processing instructions
/// (skipped) before, inside and after the root element; default and prefixed namespace
/// declarations; single- and double-quoted attributes; empty-element tags; CDATA sections; the
/// five predefined entities and decimal and hexadecimal character references, in text and in
/// attribute values; white space wherever XML allows it. Line ends are normalized to LF.
///
/// Refused, each with a short reason and the byte offset, never with the document's text:
/// - any DOCTYPE. With no DTD there are no entity declarations, so no entity is ever expanded
///   (no "billion laughs") and nothing outside the document is ever fetched (no external
///   entities): only the five predefined entities and character references exist;
/// - an undefined entity, and a character reference to a code point XML does not allow
///   (0, other control characters, surrogates, U+FFFE, U+FFFF, anything above U+10FFFF);
/// - bytes that are not UTF-8, and characters XML does not allow, anywhere in the document
///   (refused, not replaced), and a declared encoding other than UTF-8;
/// - mismatched or unclosed tags, a repeated attribute, an undeclared prefix, `]]>` in text,
///   `--` inside a comment, text or a second element after the root, and no root at all;
/// - elements nested more than ``maximumDepth`` deep, and more than ``maximumElements`` elements.
struct XMLReader {
    /// The deepest nesting read; the root element is at depth 1.
    static let maximumDepth = 256
    /// The most elements a document may hold. The Entity API's largest page (100 children, or a
    /// page of updated entities) holds a few thousand; a reply of nothing but empty elements, as
    /// large as the client takes (16 MiB), would hold about four million and build a tree of
    /// hundreds of megabytes.
    static let maximumElements = 100_000
    private var elements = 0

    private var cursor: XMLByteCursor
    private var scope = XMLNamespaceScope()
    /// The elements whose end tags have not been read, the root first.
    private var open: [XMLOpenElement] = []

    init(_ bytes: [UInt8]) { cursor = XMLByteCursor(bytes) }

    /// Reads the document and returns its root element.
    mutating func readDocument() throws(XMLReadError) -> XMLNode {
        try XMLCharacterCheck.validate(cursor.bytes)
        _ = cursor.skip("\u{FEFF}")
        try XMLDeclaration.skip(&cursor)
        try skipMiscellany()
        guard cursor.current == UInt8(ascii: "<") else {
            throw cursor.failure(cursor.atEnd ? "no root element" : "text before the root element")
        }
        let root = try readRootElement()
        try skipMiscellany()
        guard cursor.atEnd else {
            throw cursor.failure(cursor.current == UInt8(ascii: "<") ? "markup after the root element" : "text after the root element")
        }
        return root
    }

    /// White space, comments and processing instructions, as allowed before and after the root.
    private mutating func skipMiscellany() throws(XMLReadError) {
        while true {
            cursor.skipSpace()
            if cursor.isAt("<!--") {
                try skipComment()
            } else if cursor.isAt("<?") {
                try skipProcessingInstruction()
            } else if cursor.isAt("<!") {
                throw refusedDeclaration()
            } else {
                return
            }
        }
    }

    /// Reads from the root's start tag to its end tag.
    private mutating func readRootElement() throws(XMLReadError) -> XMLNode {
        if let empty = try openElement() { return empty }
        while let byte = cursor.current {
            switch byte {
            case UInt8(ascii: "<"):
                if cursor.isAt("</") {
                    if let root = try closeElement() { return root }
                } else if cursor.isAt("<!--") {
                    try skipComment()
                } else if cursor.isAt("<![CDATA[") {
                    try readCDATA()
                } else if cursor.isAt("<?") {
                    try skipProcessingInstruction()
                } else if cursor.isAt("<!") {
                    throw refusedDeclaration()
                } else if let empty = try openElement() {
                    open[open.count - 1].node.children.append(empty)
                }
            case UInt8(ascii: "&"):
                try XMLReference.read(&cursor, into: &open[open.count - 1].text)
            case UInt8(ascii: "\r"):
                open[open.count - 1].text.append(UInt8(ascii: "\n"))
                cursor.position += 1
                _ = cursor.skip("\n")
            default:
                try readText()
            }
        }
        throw cursor.failure("the document ends inside an element")
    }

    /// Reads a start tag. An empty-element tag gives its finished node; any other element is
    /// pushed on ``open`` and nil returned.
    private mutating func openElement() throws(XMLReadError) -> XMLNode? {
        guard open.count < Self.maximumDepth else {
            throw cursor.failure("elements nested more than \(Self.maximumDepth) deep")
        }
        elements += 1
        guard elements <= Self.maximumElements else {
            throw cursor.failure("more than \(Self.maximumElements) elements")
        }
        let tag = try XMLStartTag.read(&cursor, scope: &scope)
        if tag.isEmpty {
            scope.undeclare(tag.declaredPrefixes)
            return tag.node
        }
        open.append(XMLOpenElement(name: tag.name, node: tag.node, declaredPrefixes: tag.declaredPrefixes))
        return nil
    }

    /// Reads an end tag and closes the innermost open element, which it must name. Returns the
    /// root when that was the root's end tag.
    private mutating func closeElement() throws(XMLReadError) -> XMLNode? {
        let start = cursor.position
        cursor.position += 2  // "</"
        let name = try cursor.readQualifiedName("an end tag without a name")
        cursor.skipSpace()
        try cursor.expect(">", "a malformed end tag")
        let element = open.removeLast()
        guard name == element.name else { throw cursor.failure("an end tag that does not match its start tag", at: start) }
        scope.undeclare(element.declaredPrefixes)
        let node = element.close()
        if open.isEmpty { return node }
        open[open.count - 1].node.children.append(node)
        return nil
    }

    /// Character data up to the next markup, reference or carriage return.
    private mutating func readText() throws(XMLReadError) {
        let bytes = cursor.bytes
        let start = cursor.position
        var end = start
        while end < bytes.count {
            let byte = bytes[end]
            if byte == UInt8(ascii: "<") || byte == UInt8(ascii: "&") || byte == UInt8(ascii: "\r") { break }
            if byte == UInt8(ascii: ">") && end - start >= 2 && bytes[end - 1] == UInt8(ascii: "]") && bytes[end - 2] == UInt8(ascii: "]") {
                throw cursor.failure("]]> in character data", at: end - 2)
            }
            end += 1
        }
        open[open.count - 1].text.append(contentsOf: bytes[start..<end])
        cursor.position = end
    }

    /// `<![CDATA[...]]>`: its content is character data, taken as it is (line ends normalized).
    private mutating func readCDATA() throws(XMLReadError) {
        let start = cursor.position
        cursor.position += 9  // "<![CDATA["
        let content = try cursor.read(upTo: "]]>", "a CDATA section that is never closed", at: start)
        var index = content.lowerBound
        while index < content.upperBound {
            let byte = cursor.bytes[index]
            index += 1
            if byte == UInt8(ascii: "\r") {
                if index < content.upperBound && cursor.bytes[index] == UInt8(ascii: "\n") { index += 1 }
                open[open.count - 1].text.append(UInt8(ascii: "\n"))
            } else {
                open[open.count - 1].text.append(byte)
            }
        }
    }

    /// `<!-- ... -->`, which may not contain `--`.
    private mutating func skipComment() throws(XMLReadError) {
        let start = cursor.position
        cursor.position += 4  // "<!--"
        _ = try cursor.read(upTo: "--", "a comment that is never closed", at: start)
        guard cursor.skip(">") else { throw cursor.failure("-- inside a comment", at: cursor.position - 2) }
    }

    /// `<?target ...?>`. The target `xml` (in any case) is the XML declaration, allowed only at the start.
    private mutating func skipProcessingInstruction() throws(XMLReadError) {
        let start = cursor.position
        cursor.position += 2  // "<?"
        let target = try cursor.readQualifiedName("a processing instruction without a target")
        if target.prefix == nil && target.local.lowercased() == "xml" {
            throw cursor.failure("an XML declaration that is not at the start of the document", at: start)
        }
        if cursor.skip("?>") { return }
        guard cursor.skipSpace() else { throw cursor.failure("a malformed processing instruction", at: start) }
        _ = try cursor.read(upTo: "?>", "a processing instruction that is never closed", at: start)
    }

    /// The error for `<!` that starts neither a comment nor (inside an element) a CDATA section.
    private func refusedDeclaration() -> XMLReadError {
        if cursor.isAt("<!DOCTYPE") {
            return cursor.failure("a DOCTYPE, which is refused: no DTD, entity declaration or external entity is read")
        }
        return cursor.failure(open.isEmpty ? "markup that is not allowed outside the root element" : "a markup declaration inside an element")
    }
}
