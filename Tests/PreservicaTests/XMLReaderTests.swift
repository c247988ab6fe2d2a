import Testing
import Preservica

/// `XMLNode.parse`: what the reader takes from Preservica's documents, and what it refuses.
@Suite("XML reader")
struct XMLReaderTests {
    /// The message of the error `document` is refused with, nil when it is read.
    private func refusal(_ document: [UInt8]) -> String? {
        do {
            _ = try XMLNode.parse(document)
            return nil
        } catch {
            guard case .invalidResponse(let message) = error else { return "\(error)" }
            return message
        }
    }

    private func refusal(_ document: String) -> String? { refusal(Array(document.utf8)) }

    private func parse(_ document: String) throws -> XMLNode { try XMLNode.parse(Array(document.utf8)) }

    // MARK: - Preservica's documents

    /// A generation and a metadata record as the Entity API writes them (namespace labels as
    /// pyPreservica names them: 6.0 and 6.1 share v6.0).
    @Test("generation and metadata documents read by local name under each version's namespaces",
          arguments: ["6.0", "6.10", "7.7", "8.1"])
    func preservicaDocuments(label: String) throws {
        let entity = "http://preservica.com/EntityAPI/v\(label)"
        let xip = "http://preservica.com/XIP/v\(label)"
        let generation = try parse("""
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <GenerationResponse xmlns="\(entity)" xmlns:xip="\(xip)">
          <xip:Generation original="true" active="false">
            <xip:ContentObject>9b0c51d2-5c1e-4b2a-8d53-0f5e3b6b8a11</xip:ContentObject>
            <xip:FormatGroup>image</xip:FormatGroup>
            <xip:Bitstreams>
              <xip:Bitstream>scan &amp; notes.tif</xip:Bitstream>
            </xip:Bitstreams>
            <xip:Formats>
              <xip:Format valid="true">
                <xip:PUID>fmt/353</xip:PUID>
              </xip:Format>
            </xip:Formats>
            <xip:Properties/>
          </xip:Generation>
          <Bitstreams>
            <Bitstream filename="scan &amp; notes.tif">https://h/api/entity/content-objects/9b0c/generations/1/bitstreams/1</Bitstream>
          </Bitstreams>
          <AdditionalInformation/>
        </GenerationResponse>
        """)
        #expect(generation.name == "GenerationResponse" && generation.namespace == entity)
        #expect(generation.children.map(\.name) == ["Generation", "Bitstreams", "AdditionalInformation"])
        let node = try #require(generation.child("Generation"))
        #expect(node.namespace == xip)
        #expect(node.attributes == ["original": "true", "active": "false"])
        #expect(node.first("Format")?.attributes["valid"] == "true")
        #expect(node.text(of: "PUID") == "fmt/353")
        #expect(node.text(of: "Bitstream") == "scan & notes.tif")
        #expect(node.child("Properties")?.text == "")
        let link = try #require(generation.child("Bitstreams")?.child("Bitstream"))
        #expect(link.namespace == entity && link.attributes == ["filename": "scan & notes.tif"])
        #expect(link.text.hasSuffix("/bitstreams/1"))

        let metadata = try parse("""
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <MetadataResponse xmlns="\(entity)" xmlns:xip="\(xip)">
          <MetadataContainer schemaUri="http://www.openarchives.org/OAI/2.0/oai_dc/">
            <Entity>7fdea7e0-1e72-4fb1-aadb-d7f9ee6ed8c2</Entity>
            <Content>
              <oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" xmlns:dc="http://purl.org/dc/elements/1.1/">
                <dc:title>Minutes &lt;draft&gt;</dc:title>
              </oai_dc:dc>
            </Content>
          </MetadataContainer>
        </MetadataResponse>
        """)
        #expect(metadata.child("MetadataContainer")?.attributes["schemaUri"] == "http://www.openarchives.org/OAI/2.0/oai_dc/")
        #expect(metadata.first("dc")?.namespace == "http://www.openarchives.org/OAI/2.0/oai_dc/")
        #expect(metadata.first("title")?.namespace == "http://purl.org/dc/elements/1.1/")
        #expect(metadata.text(of: "title") == "Minutes <draft>")
        #expect(metadata.first("Entity")?.namespace == entity)
    }

    // MARK: - What is read

    @Test("a UTF-8 BOM, the XML declaration, comments and processing instructions before, inside and after the root")
    func prologAndMiscellany() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("""
        <?xml version='1.0' encoding='utf-8'?>
        <!-- a comment -->
        <?xml-stylesheet href="s.xsl" type="text/xsl"?>
        <root><!-- inside -->a<?pi data?>b<?empty?></root>
        <!-- after --><?after?>

        """.utf8)
        let root = try XMLNode.parse(bytes)
        #expect(root.name == "root" && root.text == "ab")
        #expect(try parse("<?xml version=\"1.1\"?><a/>").name == "a")
        #expect(try parse("<?xml version = \"1.0\"  standalone = 'no' ?><a/>").name == "a")
    }

    @Test("namespaces: default and prefixed, redeclared inside and restored after, undeclared with xmlns=\"\", none at all")
    func namespaces() throws {
        let root = try parse("""
        <a xmlns="urn:one" xmlns:p="urn:p1">
          <b xmlns=""><c/></b>
          <p:d xmlns:p="urn:p2"><p:e/></p:d>
          <p:f/>
          <g/>
          <xml-ok xml:lang="en"/>
        </a>
        """)
        #expect(root.namespace == "urn:one")
        #expect(root.attributes.isEmpty)  // declarations are not attributes
        #expect(root.child("b")?.namespace == "")
        #expect(root.first("c")?.namespace == "")
        #expect(root.child("d")?.namespace == "urn:p2" && root.first("e")?.namespace == "urn:p2")
        #expect(root.child("f")?.namespace == "urn:p1")
        #expect(root.child("g")?.namespace == "urn:one")
        #expect(root.child("xml-ok")?.attributes == ["lang": "en"])
        #expect(try parse("<plain><child/></plain>").child("child")?.namespace == "")
    }

    @Test("attributes: either quote, keyed by local name, white space around =, empty-element tags")
    func attributes() throws {
        let root = try parse("""
        <a one="it's" two='say "hi"' three = "3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="t" empty="">
          <b/><c /><d x='1'/><e x="2" /></a  >
        """)
        #expect(root.attributes == ["one": "it's", "two": "say \"hi\"", "three": "3", "type": "t", "empty": ""])
        #expect(root.children.map(\.name) == ["b", "c", "d", "e"])
        #expect(root.child("d")?.attributes == ["x": "1"] && root.child("e")?.attributes == ["x": "2"])
    }

    @Test("entity and character references, in text and in attribute values")
    func references() throws {
        let references = "&lt;&gt;&amp;&quot;&apos;&#65;&#x42;&#x0043;&#0000068;&#x1F600;&#xe9;"
        let expected = "<>&\"'AB\u{43}D\u{1F600}é"
        let root = try parse("<a v=\"\(references)\" w='&#10;&#9;'>\(references)</a>")
        #expect(root.text == expected)
        #expect(root.attributes["v"] == expected)
        #expect(root.attributes["w"] == "\n\t")  // a reference keeps its character; a literal one would be a space
    }

    @Test("CDATA is character data taken as written, ]] in text and in CDATA included")
    func cdata() throws {
        #expect(try parse("<a>x<![CDATA[<b>&amp; ]] ]]]]><![CDATA[>]]>y</a>").text == "x<b>&amp; ]] ]]>y")
        #expect(try parse("<a><![CDATA[a]]]></a>").text == "a]")
        #expect(try parse("<a><![CDATA[]]></a>").text == "")
        #expect(try parse("<a>x]]y] ]&gt;</a>").text == "x]]y] ]>")
        #expect(try parse("<a>]]</a>").text == "]]")
    }

    @Test("text: directly inside, concatenated around children, trimmed of Unicode white space, line ends normalized")
    func text() throws {
        let root = try parse("<a>\n\t x <b> 1 </b> y <c/>z\u{00A0}\u{3000}\n</a>")
        #expect(root.text == "x  y z")
        #expect(root.child("b")?.text == "1")
        #expect(root.children.map(\.name) == ["b", "c"])
        #expect(try parse("<a>one\r\ntwo\rthree</a>").text == "one\ntwo\nthree")
        #expect(try parse("<a v=\"one\r\ntwo\tthree\nfour\rfive\"/>").attributes["v"] == "one two three four five")
        #expect(try parse("<a><![CDATA[x\r\ny]]></a>").text == "x\ny")
        #expect(try parse("<a>  </a>").text == "")
    }

    @Test("white space wherever XML allows it")
    func whiteSpace() throws {
        let root = try parse(" \r\n\t<?xml-pi?>\n<a\n  x\t=\r\n'1'\n>\n<b\n/>\n</a\n\t>\n\n")
        #expect(root.attributes == ["x": "1"] && root.child("b") != nil)
    }

    @Test("non-ASCII names and text")
    func nonASCII() throws {
        let root = try parse("<título xmlns:ü=\"urn:u\"><ü:straße>Åse — 東京</ü:straße></título>")
        #expect(root.name == "título")
        #expect(root.child("straße")?.namespace == "urn:u")
        #expect(root.text(of: "straße") == "Åse — 東京")
    }

    @Test("nesting exactly 256 deep is read")
    func deepestAllowed() throws {
        let depth = 256
        let document = String(repeating: "<e>", count: depth - 1) + "<leaf/>" + String(repeating: "</e>", count: depth - 1)
        var node = try parse(document)
        var levels = 1
        while let child = node.children.first {
            node = child
            levels += 1
        }
        #expect(levels == depth && node.name == "leaf")
    }

    @Test("all(_:) finds every match in document order, also 99,000 of them 255 levels down")
    func allIsOneWalk() throws {
        let document = String(repeating: "<e>", count: 255) + String(repeating: "<f/>", count: 99_000) + String(repeating: "</e>", count: 255)
        let root = try parse(document)
        #expect(root.all("f").count == 99_000)
        #expect(try parse("<a><b><c/><b><c/></b></b><c><c/></c></a>").all("c").count == 4)
        let order = try parse("<a><x n='1'><x n='2'/></x><y><x n='3'/></y><x n='4'/></a>").all("x")
        #expect(order.compactMap { $0.attributes["n"] } == ["1", "2", "3", "4"])
    }

    // MARK: - What is refused

    @Test("any DOCTYPE is refused: no entity expansion, no external entity", arguments: [
        // The "billion laughs": expanding lol9 would take 3 GB.
        """
        <?xml version="1.0"?>
        <!DOCTYPE lolz [
          <!ENTITY lol "lol">
          <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
          <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
          <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
          <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
          <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
          <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
          <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
          <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
        ]>
        <lolz>&lol9;</lolz>
        """,
        #"<?xml version="1.0"?><!DOCTYPE a [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><a>&xxe;</a>"#,
        #"<!DOCTYPE a SYSTEM "http://example.org/a.dtd"><a/>"#,
        "<!DOCTYPE a><a/>",
        "<a><!DOCTYPE a></a>",
    ])
    func doctype(document: String) {
        let message = refusal(document)
        #expect(message?.contains("DOCTYPE") == true, "\(message ?? "read")")
        #expect(message?.contains("passwd") != true && message?.contains("lol") != true)
    }

    @Test("refused, with a reason and where", arguments: [
        ("<a>&nbsp;</a>", "undefined entity"),
        ("<a v=\"&copy;\"/>", "undefined entity"),
        ("<a>&amp</a>", "undefined entity"),
        ("<a>&#0;</a>", "code point XML does not allow"),
        ("<a>&#xD800;</a>", "code point XML does not allow"),
        ("<a>&#xDFFF;</a>", "code point XML does not allow"),
        ("<a>&#x110000;</a>", "code point XML does not allow"),
        ("<a>&#99999999999999999999999;</a>", "code point XML does not allow"),
        ("<a>&#xFFFE;</a>", "code point XML does not allow"),
        ("<a v='&#1;'/>", "code point XML does not allow"),
        ("<a>&#;</a>", "malformed character reference"),
        ("<a>&#x;</a>", "malformed character reference"),
        ("<a>&#65</a>", "malformed character reference"),
        ("<a>&#x4G;</a>", "malformed character reference"),
        ("<a>&#X41;</a>", "malformed character reference"),  // the x of a hexadecimal reference is lower case
        ("<a><b></a>", "does not match"),
        ("<a></b>", "does not match"),
        ("<p:a xmlns:p=\"urn:x\" xmlns:q=\"urn:x\"></q:a>", "does not match"),
        ("<a><b></b>", "ends inside an element"),
        ("<a>text", "ends inside an element"),
        ("<a", "ends inside"),
        ("<a x=\"1", "ends inside"),
        ("<a/>x", "text after the root"),
        ("<a/><b/>", "markup after the root"),
        ("<a></a></a>", "markup after the root"),
        ("<a/>&amp;", "text after the root"),
        ("x<a/>", "text before the root"),
        ("", "no root element"),
        (" \n ", "no root element"),
        ("<!-- only a comment -->", "no root element"),
        ("<a>x]]>y</a>", "]]> in character data"),
        ("<a><!-- a -- b --></a>", "-- inside a comment"),
        ("<a><!-- a ---></a>", "-- inside a comment"),
        ("<a><!-- never closed </a>", "comment that is never closed"),
        ("<a><![CDATA[ never closed </a>", "CDATA section that is never closed"),
        ("<![CDATA[x]]><a/>", "outside the root"),
        ("<a><!ELEMENT a ANY></a>", "markup declaration inside an element"),
        ("<a><?pi never closed</a>", "processing instruction that is never closed"),
        ("<p:a/>", "undeclared namespace prefix"),
        ("<a p:x=\"1\"/>", "undeclared namespace prefix"),
        ("<a xmlns:p=\"urn:x\"><b/></a><p:c/>", "markup after the root"),
        ("<a><p:b xmlns:p=\"urn:x\"/><p:c/></a>", "undeclared namespace prefix"),
        ("<a xmlns:p=\"\"/>", "empty namespace name"),
        ("<a xmlns:xml=\"urn:x\"/>", "xml prefix"),
        ("<a xmlns:xmlns=\"urn:x\"/>", "reserved xmlns"),
        ("<a x=\"1\" x=\"2\"/>", "repeated attribute"),
        ("<a xmlns:p=\"urn:x\" xmlns:q=\"urn:x\" p:x=\"1\" q:x=\"2\"/>", "repeated attribute"),
        ("<a xmlns=\"urn:x\" xmlns=\"urn:y\"/>", "repeated attribute"),
        ("<a x=\"<\"/>", "< inside an attribute value"),
        ("<a x=1/>", "without quotes"),
        ("<a x/>", "without a value"),
        ("<a x=\"1\"y=\"2\"/>", "malformed start tag"),
        ("<a:b:c xmlns:a=\"urn:a\"/>", "misplaced colon"),
        ("<:a/>", "misplaced colon"),
        ("<a:/>", "misplaced colon"),
        ("<1a/>", "start tag without a name"),
        ("< a/>", "start tag without a name"),
        ("<a></ a>", "end tag without a name"),
        ("<a></a x>", "malformed end tag"),
        (" <?xml version=\"1.0\"?><a/>", "XML declaration that is not at the start"),
        ("<a><?XML x?></a>", "XML declaration that is not at the start"),
        ("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a/>", "encoding other than UTF-8"),
        ("<?xml version=\"2.0\"?><a/>", "version other than 1.x"),
        ("<?xml encoding=\"UTF-8\"?><a/>", "without a version"),
        ("<?xml version=\"1.0\" standalone=\"maybe\"?><a/>", "standalone"),
        ("<?xml version=\"1.0\"standalone=\"yes\"?><a/>", "malformed XML declaration"),
    ])
    func refused(document: String, reason: String) {
        let message = refusal(document)
        #expect(message?.hasPrefix("XML that cannot be read (") == true && message?.contains(reason) == true,
                "\(document): \(message ?? "read")")
    }

    @Test("bytes that are not UTF-8, and characters XML does not allow, are refused, not replaced", arguments: [
        [0xFF],  // never in UTF-8
        [0xC0, 0xAF],  // overlong "/"
        [0xED, 0xA0, 0x80],  // a UTF-16 surrogate
        [0xF4, 0x90, 0x80, 0x80],  // above U+10FFFF
        [0xE2, 0x82],  // truncated
    ] as [[UInt8]])
    func notUTF8(bytes: [UInt8]) {
        let message = refusal(Array("<a>ok ".utf8) + bytes + Array("</a>".utf8))
        #expect(message?.contains("not UTF-8 at line 1, byte 6") == true, "\(message ?? "read")")
        #expect(message?.contains("ok") != true)
    }

    @Test("control characters and U+FFFF are refused even as literal text", arguments: ["\u{0}", "\u{1}", "\u{B}", "\u{1F}", "\u{FFFF}"])
    func disallowedCharacters(character: String) {
        let message = refusal("<a v=\"x\">\(character)</a>")
        #expect(message?.contains("XML does not allow at line 1, byte 9") == true, "\(message ?? "read")")
    }

    @Test("a UTF-16 document is refused (only UTF-8 is read)")
    func utf16() {
        let bytes: [UInt8] = [0xFF, 0xFE] + Array("<a/>".utf16).flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        #expect(refusal(bytes)?.contains("not UTF-8") == true)
    }

    @Test("nesting deeper than 256 is refused, and 100,000 levels throw instead of overflowing the stack",
          arguments: [257, 100_000])
    func tooDeep(depth: Int) {
        let document = String(repeating: "<e>", count: depth) + String(repeating: "</e>", count: depth)
        let message = refusal(document)
        #expect(message?.contains("nested more than 256 deep at line 1, byte 768") == true, "\(message ?? "read")")
        let empty = String(repeating: "<e>", count: depth - 1) + "<e/>" + String(repeating: "</e>", count: depth - 1)
        #expect(refusal(empty)?.contains("nested more than 256 deep") == true)
    }

    @Test("a document of 100,000 elements is read; one more is refused before the tree grows further")
    func tooManyElements() throws {
        let most = "<r>" + String(repeating: "<e/>", count: 99_999) + "</r>"
        #expect(try XMLNode.parse(Array(most.utf8)).children.count == 99_999)
        let more = "<r>" + String(repeating: "<e/>", count: 100_000) + "</r>"
        #expect(refusal(more)?.contains("more than 100000 elements at line 1, byte 399999") == true, "\(refusal(more) ?? "read")")
    }

    @Test("the error names the line and byte, never the document's text")
    func errorPosition() {
        let message = refusal("<?xml version=\"1.0\"?>\n<a>\n  <secret>hunter2 &hunter2;</secret>\n</a>")
        #expect(message == "XML that cannot be read (an undefined entity reference (only the five predefined entities and character references are read) at line 3, byte 44)")
        #expect(message?.contains("hunter2") == false)
    }

    @Test("the line counts CR LF, LF and a lone CR as one line end each, as XML does")
    func errorLineEnds() {
        #expect(refusal("<a>\r<b>\r\n&x;</b></a>")?.contains("at line 3, byte 9)") == true)
        #expect(refusal("<a>\r\r\n\n\r&x;</a>")?.contains("at line 5, byte 8)") == true)
        #expect(refusal("<a>\r&x;")?.contains("at line 2, byte 4)") == true)
    }
}
