import Foundation
import Testing
import CardTemplates
import JSON

@Suite("Load-time errors")
struct TemplateErrorTests {
    @Test("a syntax error names the template, the JSON path of the string and the column in it")
    func syntaxErrorLocation() throws {
        let template = #"{"body":[{"type":"TextBlock"},{"type":"Container","items":[{"text":"Hi ${name.}"}]}]}"#
        let error = try #require(Rendering.error(template))
        #expect(error.template == "card.json")
        #expect(error.jsonPath == "body[1].items[0].text")
        #expect(error.column == 11)
        #expect(error.message == "expected a property name but found end of expression")
        #expect(error.description == "card.json: body[1].items[0].text, column 11: expected a property name but found end of expression")
    }

    @Test("an unknown function is a load-time error pointing at its name")
    func unknownFunction() throws {
        let error = try #require(Rendering.error(#"{"body":[{"text":"Size: ${fromatNumber(n, 2)}"}]}"#))
        #expect(error.jsonPath == "body[0].text")
        #expect(error.column == 9)
        #expect(error.message == "unknown function 'fromatNumber'")
    }

    @Test("a host variable the engine does not have ($host, $_acTemplateVersion) is a load-time error, not a silent null")
    func hostVariables() throws {
        let error = try #require(Rendering.error(#"{"body":[{"text":"From ${$host.name}"}]}"#))
        #expect(error.column == 8)
        #expect(error.message == "'$host' is not supported: the names starting with '$' are $data, $this, $root and $index")
        #expect(Rendering.error(#"{"a":"${$_acTemplateVersion}"}"#)?.message.hasPrefix("'$_acTemplateVersion' is not supported") == true)
        #expect(Rendering.error(#"{"a":"${$root.x} ${$data.y} ${$this} ${$index}"}"#) == nil)
    }

    @Test("a wrong number of arguments is a load-time error")
    func wrongArity() throws {
        let error = try #require(Rendering.error(#"{"a":"${substring('abc')}"}"#))
        #expect(error.column == 3)
        #expect(error.message == "'substring' takes 2 to 3 arguments, not 1")
        #expect(Rendering.error(#"{"a":"${if(a, b)}"}"#)?.message == "'if' takes 3 arguments, not 2")
        #expect(Rendering.error(#"{"a":"${max()}"}"#)?.message == "'max' takes at least 1 argument, not 0")
    }

    @Test("an expression nested too deep or too long is a load-time error, not a stack overflow")
    func depthAndLength() throws {
        func expression(_ text: String) -> String { JSONWriter.string(.object(JSONObject([("t", .string("${" + text + "}"))]))) }
        #expect(Rendering.error(expression(String(repeating: "(", count: 60) + "1" + String(repeating: ")", count: 60))) == nil)
        #expect(Rendering.error(expression(String(repeating: "(", count: 100) + "1" + String(repeating: ")", count: 100)))?
            .message == "nested more than 64 deep")
        #expect(Rendering.error(expression(String(repeating: "!", count: 100) + "true"))?.message == "nested more than 64 deep")
        #expect(Rendering.error(expression("f(" + String(repeating: "[", count: 100_000)))?.message == "more than 1000 tokens in one expression; split it")
        #expect(Rendering.error(expression(String(repeating: "(", count: 100_000) + "1" + String(repeating: ")", count: 100_000))) != nil)
        #expect(Rendering.error(expression(Array(repeating: "1", count: 501).joined(separator: "+"))) != nil)
        #expect(Rendering.error(expression(Array(repeating: "1", count: 500).joined(separator: "+"))) == nil)
    }

    /// Each case: a string value, the column and message of its error.
    static let stringCases: [(String, Int, String)] = [
        ("a ${x", 3, "'${' without a closing '}'"),
        ("${}", 3, "empty expression"),
        ("${  }", 3, "empty expression"),
        ("${1 +}", 6, "expected a value but found end of expression"),
        ("${(1 + 2}", 9, "expected ')' but found end of expression"),
        ("${a = b}", 5, "'=' is not an operator; use '==' to compare"),
        ("${a b}", 5, "unexpected 'b'"),
        ("${'open}", 3, "unterminated string"),
        ("${a[1}", 6, "expected ']' but found end of expression"),
        ("${a # b}", 5, "unexpected character '#'"),
        ("ok ${x} then ${y..z}", 18, "expected a property name but found '.'"),
        ("${12abc}", 5, "unexpected character 'a' after a number"),
        ("${'\\u12'}", 8, "'\\u' needs four hex digits"),
    ]

    @Test("syntax errors report the column of the problem inside the string", arguments: stringCases)
    func columns(text: String, column: Int, message: String) throws {
        let error = try #require(Rendering.error(JSONWriter.string(.object(JSONObject([("t", .string(text))])))))
        #expect(error.jsonPath == "t")
        #expect(error.column == column)
        #expect(error.message == message)
    }

    @Test("errors inside $data, $when and awkward keys have a JSON path too")
    func pathsOfSpecialKeys() {
        #expect(Rendering.error(#"{"body":[{"$data":"${items["}]}"#)?.jsonPath == "body[0].$data")
        #expect(Rendering.error(#"{"body":[{"$when":"${nope()}"}]}"#)?.jsonPath == "body[0].$when")
        #expect(Rendering.error(#"{"my key":{"it's":"${(}"}}"#)?.jsonPath == #"['my key']['it\'s']"#)
        #expect(Rendering.error(#""${(}""#)?.jsonPath == "(root)")
    }

    @Test("$when must be one binding or a boolean, since any other string would always be true")
    func whenMustBeBinding() {
        for value in [#""x > 1""#, #""${x} and more""#, "1", "{}"] {
            let error = Rendering.error(#"{"body":[{"$when":"# + value + "}]}")
            #expect(error?.jsonPath == "body[0].$when", "\(value)")
            #expect(error?.message.hasPrefix("$when must be a single binding") == true, "\(value)")
        }
        #expect(Rendering.error(#"{"body":[{"$when":"${x > 1}"},{"$when":false}]}"#) == nil)
    }

    @Test("invalid JSON is reported with line and column")
    func invalidJSON() throws {
        let error = try #require(Rendering.error("{\n  \"a\": ,\n}"))
        #expect(error.template == "card.json")
        #expect(error.line == 2)
        #expect(error.column == 8)
        #expect(error.message.hasPrefix("invalid JSON"))
        #expect(error.description.hasPrefix("card.json: line 2, column 8: invalid JSON"))
    }

    @Test("templates load from files, and the path names the template in errors")
    func files() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("card-templates-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let good = directory.appendingPathComponent("good.json").path
        let bad = directory.appendingPathComponent("bad.json").path
        try Data(#"{"text":"${toUpper(name)}"}"#.utf8).write(to: URL(fileURLWithPath: good))
        try Data(#"{"text":"${toUpper(name}"}"#.utf8).write(to: URL(fileURLWithPath: bad))

        let template = try CardTemplate(contentsOfFile: good)
        #expect(template.name == good)
        #expect(template.render(try Rendering.json(#"{"name":"ada"}"#)) == .object(JSONObject([("text", .string("ADA"))])))

        #expect(throws: TemplateError(template: bad, jsonPath: "text", column: 15, message: "expected ')' but found end of expression")) {
            try CardTemplate(contentsOfFile: bad)
        }
        let missing = directory.appendingPathComponent("missing.json").path
        #expect(throws: TemplateError(template: missing, message: "cannot read the file")) {
            try CardTemplate(contentsOfFile: missing)
        }
    }
}
