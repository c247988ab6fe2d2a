import Testing
import JSON

@Suite("JSON5 parser")
struct JSON5ParserTests {
    private func value(_ text: String) throws -> JSONValue { try JSON5Parser.parse(text).value }

    @Test("comments, unquoted and quoted keys, single quotes, trailing commas")
    func syntax() throws {
        let parsed = try value("""
        // a comment
        { listen: "127.0.0.1:8080", /* inline */ 'single': 'it\\'s', "double": "x",
          $dollar_1: [1, 2, 3,], nested: { ok: true, nothing: null, }, }
        """)
        let object = try #require(parsed.objectValue)
        #expect(object.keys == ["listen", "single", "double", "$dollar_1", "nested"])
        #expect(object["single"] == .string("it's"))
        #expect(object["$dollar_1"] == .array([.number(1), .number(2), .number(3)]))
        #expect(object["nested"]?.objectValue?["nothing"] == .null)
    }

    @Test("JSON5 numbers", arguments: [("0x1F", 31.0), ("+5", 5), ("-.5", -0.5), ("5.", 5), ("1e3", 1000), ("2.5E-1", 0.25), ("-0xa", -10)])
    func numbers(text: String, expected: Double) throws {
        #expect(try value(text) == .number(expected))
    }

    @Test("Infinity and NaN")
    func special() throws {
        #expect(try value("-Infinity") == .number(-.infinity))
        guard case .number(let nan) = try value("NaN") else { Issue.record("not a number"); return }
        #expect(nan.isNaN)
    }

    @Test("string escapes and line continuations")
    func strings() throws {
        #expect(try value(#"'a\x41\u00e9\ud83d\udcda\v\0b'"#) == .string("aAé📚\u{0B}\u{0}b"))
        #expect(try value("'one \\\ntwo'") == .string("one two"))
        #expect(try value(#""\q\/""#) == .string("q/"))
    }

    @Test("syntax errors name the line and column", arguments: [
        ("{\n  a: 1\n  b: 2\n}", 3, 3),
        ("{ a: 1,\n  b: tru }", 2, 6),
        ("{\n\n  a: 'open\n}", 3, 11),
        ("[1, 2", 1, 6),
        ("{ a: 01 }", 1, 6),
        ("/* never closed", 1, 1),
        ("{ 1a: 2 }", 1, 3),
        ("{} x", 1, 4),
    ])
    func errors(text: String, line: Int, column: Int) {
        do {
            _ = try JSON5Parser.parse(text)
            Issue.record("parsed \(text)")
        } catch {
            #expect(error.line == line && error.column == column, "\(error)")
        }
    }

    @Test("repeated keys are noted with their paths, lines and columns; the later value is kept")
    func duplicates() throws {
        let document = try JSON5Parser.parse("""
        { a: 1,
          channels: { ops: { type: "slack", type: "teams" } },
          routes: [ { channels: ["x"], "channels": ["y"] } ],
          a: 2 }
        """)
        #expect(document.duplicateKeys.map(\.path) == ["channels.ops.type", "routes[0].channels", "a"])
        #expect(document.duplicateKeys.map(\.line) == [2, 3, 4])
        #expect(document.duplicateKeys.first?.column == 37)
        #expect(document.value.objectValue?["a"] == .number(2))
        #expect(try JSON5Parser.parse("{ a: 1, b: { a: 2 } }").duplicateKeys.isEmpty)
    }

    @Test("deep nesting is refused, not a crash")
    func depth() {
        #expect(throws: JSONSyntaxError.self) { try JSON5Parser.parse(String(repeating: "[", count: 10_000)) }
    }
}
