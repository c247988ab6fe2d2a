import Testing
import CardTemplates
import JSON

@Suite("Expressions: literals, paths and operators")
struct ExpressionTests {
    /// Each case: expression, expected result as compact JSON, evaluated over ``SampleData``.
    static let cases: [(String, String)] = [
        // Literals
        ("42", "42"), ("0.5", "0.5"), ("1e3", "1000"), ("2.5E-1", "0.25"),
        ("true", "true"), ("false", "false"), ("null", "null"),
        ("'single'", #""single""#), (#""double""#, #""double""#),
        // Paths
        ("asset.parent.title", #""Council""#), ("items[1].name", #""y""#), ("items[i].size", "300"),
        ("obj['my key']", #""spaced""#), (#"obj["key"]"#, "1"), ("obj[k]", "1"),
        ("list[5]", "null"), ("list[-1]", "null"), ("list[0.5]", "null"), ("name.first", "null"),
        ("$data.asset.title", #""Minutes""#), ("$root.asset.size", "1024"), ("first(items).name", #""x""#),
        // Precedence and associativity
        ("1 + 2 * 3", "7"), ("(1 + 2) * 3", "9"), ("10 - 4 - 3", "3"), ("2 * 3 % 4", "2"), ("100 / 10 / 5", "2"),
        ("-2 * 3", "-6"), ("- n", "-1024"), ("!yes", "false"), ("!(1 < 2)", "false"),
        ("1 + 2 == 3 && !false", "true"), ("true || false && false", "true"), ("(true || false) && false", "false"),
        ("1 < 2 == 2 < 3", "true"), ("n > 1000 && n < 1000", "false"),
        // Arithmetic and concatenation
        ("'a' + 1", #""a1""#), ("1 + 'a'", #""1a""#), ("'1' + 2", #""12""#), ("name + ' (' + n + ')'", #""Minutes 1921 (1024)""#),
        ("'x' + missing", #""x""#), ("null + 1", "null"), ("yes + 1", "null"), ("'a' & 1 & true", #""a1true""#),
        ("7 / 2", "3"), ("-7 / 2", "-4"), ("7 / 2.5", "2.8"), ("n / 1024", "1"), ("1536 / 1024", "1"),
        ("1536 / 1024.0", "1.5"), ("7.0 / 2", "3.5"), ("-7 / 2.0", "-3.5"), ("n / 1e3", "1.024"), ("(n + 512) / 1024 * 2", "2"), ("1 / 0", "null"), ("1.5 / 0", "null"),
        ("7 % 3", "1"), ("-7 % 3", "-1"), ("5 % 0", "null"), ("half * 3", "1.5"), ("'a' * 2", "null"),
        // Comparison and equality
        ("'abc' < 'abd'", "true"), ("2 <= 2", "true"), ("3 > 10", "false"), ("10 >= 3", "true"),
        ("1 < '2'", "false"), ("missing < 1", "false"), ("missing >= 1", "false"),
        ("null == null", "true"), ("missing == null", "true"), ("1 == '1'", "false"), ("1 == 1.0", "true"),
        ("'a' != 'b'", "true"), ("'a' <> 'a'", "false"), ("obj == obj", "true"), ("tags == list", "false"),
        // Truthiness: only false and null are false
        ("!zero", "false"), ("!empty", "false"), ("!nothing", "true"), ("!missing", "true"), ("zero && empty", "true"),
        ("missing || 'x'", "true"),
        // String escapes
        (#"'it\'s'"#, #""it's""#), (#""say \"hi\"""#, #""say \"hi\"""#), (#"'a\nb\tc'"#, #""a\nb\tc""#),
        (#"'\u00e9'"#, #""é""#), (#"'back\\slash'"#, #""back\\slash""#), (#"'mixed "quotes"'"#, #""mixed \"quotes\"""#),
        // Special names
        ("$index", "null"), ("$data.n", "1024"),
    ]

    @Test("expressions evaluate as in Adaptive Expressions", arguments: cases)
    func evaluates(expression: String, expected: String) throws {
        #expect(JSONWriter.string(try Rendering.evaluate(expression, SampleData.text)) == expected, "\(expression)")
    }

    @Test("a compiled TemplateExpression can be evaluated on its own with any scope")
    func publicExpression() throws {
        let expression = try TemplateExpression("$root.base + $data.x * ($index + 1)")
        let scope = ExpressionScope(data: try Rendering.json(#"{"x":2}"#), root: try Rendering.json(#"{"base":10}"#), index: 2)
        #expect(expression.evaluate(in: scope) == .number(16))
        #expect(expression.text == "$root.base + $data.x * ($index + 1)")
    }

    @Test("a TemplateExpression with a syntax error reports the column")
    func publicExpressionError() {
        #expect(throws: ExpressionSyntaxError(column: 4, message: "expected a value but found end of expression")) {
            try TemplateExpression("1 +")
        }
    }
}
