import Testing
import JSON

@Suite("JSON parser and writer")
struct JSONParserTests {
    @Test("object keys keep their order and values their types")
    func orderAndTypes() throws {
        let value = try JSONParser.parse(#" {"z": 1, "a": [true, false, null], "m": {"k": "v"}, "n": -0.5e1} "#)
        let object = try #require(value.objectValue)
        #expect(object.keys == ["z", "a", "m", "n"])
        #expect(object["z"] == .number(1))
        #expect(object["a"] == .array([.bool(true), .bool(false), .null]))
        #expect(object["m"]?.objectValue?["k"] == .string("v"))
        #expect(object["n"] == .number(-5))
    }

    @Test("escapes, including surrogate pairs, decode to the right characters")
    func escapes() throws {
        let value = try JSONParser.parse(#""a\"b\\c\/d\n\t\u00e9\ud83d\udcda""#)
        #expect(value == .string("a\"b\\c/d\n\té📚"))
    }

    @Test("numbers stay exact and print without a trailing .0")
    func numbers() throws {
        #expect(JSONWriter.string(try JSONParser.parse("[1024, 0.5, 52428800, -3, 1e3, 1.25e-7]")) == "[1024,0.5,52428800,-3,1000,1.25e-07]")
    }

    @Test("writing then parsing gives the same tree")
    func roundTrip() throws {
        let text = #"{"title":"Minutes \"1921\" \u0001","sizes":[1,2.5],"nested":{"empty":{},"list":[]},"ok":true,"none":null}"#
        let value = try JSONParser.parse(text)
        #expect(try JSONParser.parse(JSONWriter.string(value)) == value)
        #expect(JSONWriter.string(value) == #"{"title":"Minutes \"1921\" \u0001","sizes":[1,2.5],"nested":{"empty":{},"list":[]},"ok":true,"none":null}"#)
    }

    @Test("invalid JSON is rejected with a position", arguments: [
        "", "{", "[1,]", "{\"a\":1,}", "01", "1.", "-", "tru", "\"abc", "\"\\x\"", "\"\\ud800\"", "[1] 2",
        "{'a':1}", "{a:1}", "\"tab\there\"", "NaN", "1e999",
    ])
    func invalid(text: String) {
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(text) }
    }

    @Test("the error names line and column")
    func errorPosition() {
        do {
            _ = try JSONParser.parse("{\n  \"a\": 1,\n  \"b\" 2\n}")
            Issue.record("expected an error")
        } catch {
            #expect(error.line == 3)
            #expect(error.column == 7)
            #expect(error.message.contains("':'"))
        }
    }

    @Test("nesting deeper than the limit is refused instead of overflowing the stack")
    func depth() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(deep) }
    }

    @Test("invalid UTF-8 inside a string is refused")
    func badUTF8() {
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse([0x22, 0xff, 0x22]) }
    }

    @Test("strings read the same through each path: ASCII or not, with escapes or without; bytes that are not UTF-8 are refused on each")
    func stringPaths() throws {
        let cases: [(String, String)] = [
            (#""abc""#, "abc"), (#""a\"b\n""#, "a\"b\n"), (#""Åse – 東京""#, "Åse – 東京"), (#""Å\"se""#, "Å\"se"),
            (#""\u00c5se""#, "Åse"), (#""\ud83d\ude00 ok""#, "😀 ok"), (#""""#, ""),
        ]
        for (json, text) in cases {
            #expect(try JSONParser.parse(json) == .string(text), "\(json)")
        }
        // A lone byte 0xff after an escape and before one; a lone continuation byte; a surrogate
        // encoded as UTF-8; an overlong '/', alone and after an escape; control characters before
        // and after an escape.
        for bytes: [UInt8] in [[0x22, 0x5c, 0x6e, 0xff, 0x22], [0x22, 0xff, 0x5c, 0x6e, 0x22], [0x22, 0x61, 0x80, 0x22], [0x22, 0xed, 0xa0, 0x80, 0x22],
                               [0x22, 0xc0, 0xaf, 0x22], [0x22, 0x5c, 0x22, 0xc0, 0xaf, 0x22], [0x22, 0x01, 0x22], [0x22, 0x5c, 0x6e, 0x0a, 0x22]] {
            #expect(throws: JSONSyntaxError.self, "\(bytes)") { try JSONParser.parse(bytes) }
        }
    }
}
