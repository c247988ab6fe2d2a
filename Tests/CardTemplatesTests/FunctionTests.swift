import Testing
import CardTemplates
import JSON

@Suite("Prebuilt functions")
struct FunctionTests {
    /// Each case: expression, expected result as compact JSON, over ``SampleData``. Every function
    /// has a typical case and at least one edge case.
    static let cases: [(String, String)] = [
        // Logic
        ("if(yes, 'on', 'off')", #""on""#), ("if(zero, 'truthy', 'falsy')", #""truthy""#), ("if(missing, 1, 2)", "2"),
        ("if(n > 1000, n / 1024, missing)", "1"),
        ("equals(1, 1.0)", "true"), ("equals('a', 'A')", "false"), ("equals(missing, null)", "true"),
        ("not(yes)", "false"), ("not(nothing)", "true"),
        ("and(yes, 1, 'x')", "true"), ("and(yes, missing)", "false"), ("and(true, true, false)", "false"),
        ("or(no, nothing)", "false"), ("or(no, zero)", "true"),
        ("exists(asset.title)", "true"), ("exists(missing)", "false"), ("exists(zero)", "true"), ("exists(nothing)", "false"),
        ("empty('')", "true"), ("empty(list2)", "false"), ("empty(skip(list, 3))", "true"), ("empty(nothing)", "true"),
        ("empty(missing)", "true"), ("empty(zero)", "false"), ("empty(name)", "false"),
        ("coalesce(missing, nothing, 'x', 'y')", #""x""#), ("coalesce(missing)", "null"), ("coalesce(zero, 1)", "0"),
        // Collections
        ("count(items)", "2"), ("count('héllo')", "5"), ("count(obj)", "2"), ("count(missing)", "0"), (#"count('e\u0301👍🏽')"#, "2"), ("count(n)", "null"),
        ("length('abc')", "3"), ("length('')", "0"), ("length(tags)", "3"), ("length(missing)", "0"),
        ("concat('a', 1, nothing, true)", #""a1true""#), ("concat(list, list2)", "[1,2,3,4]"), ("concat(list2, 'x')", #""[4]x""#),
        ("join(tags, ', ')", #""a, b, c""#), ("join(tags, ', ', ' and ')", #""a, b and c""#), ("join(list2, ', ', ' and ')", #""4""#),
        ("join(skip(list, 3), ',')", #""""#), ("join(name, ',')", "null"),
        ("first(tags)", #""a""#), ("first(name)", #""M""#), ("first(skip(list, 3))", "null"), ("first(n)", "null"),
        ("last(list)", "3"), ("last('abc')", #""c""#), ("last('')", "null"),
        ("take(list, 2)", "[1,2]"), ("take(list, 10)", "[1,2,3]"), ("take(list, -1)", "[]"), ("take(name, 7)", #""Minutes""#),
        ("take(n, 1)", "null"),
        ("skip(list, 1)", "[2,3]"), ("skip(list, 5)", "[]"), ("skip('abcdef', 4)", #""ef""#),
        ("contains('hello', 'ell')", "true"), ("contains(tags, 'b')", "true"), ("contains(list, 4)", "false"),
        ("contains(obj, 'key')", "true"), ("contains(missing, 'x')", "false"),
        ("indexOf('hello', 'l')", "2"), ("indexOf('hello', 'z')", "-1"), ("indexOf(tags, 'c')", "2"), ("indexOf(n, 1)", "null"),
        // Text
        ("toUpper('aé')", #""AÉ""#), ("toUpper(missing)", #""""#), ("toUpper(n)", #""1024""#),
        ("toLower('ABC Def')", #""abc def""#), ("toLower(nothing)", #""""#),
        ("trim('  a b \n')", #""a b""#), ("trim('   ')", #""""#), ("trim(missing)", #""""#),
        ("substring('hello', 1, 3)", #""ell""#), ("substring('hello', 2)", #""llo""#), ("substring('hi', 0, 40)", #""hi""#),
        ("substring('hi', 5)", #""""#), ("substring('hi', -1)", "null"), ("substring('hello', 1, -2)", "null"),
        ("substring('héllo', 1, 1)", #""é""#),
        ("replace('a-b-c', '-', '/')", #""a/b/c""#), ("replace('abc', '', 'x')", #""abc""#), ("replace('aaa', 'a', 'aa')", #""aaaaaa""#),
        ("startsWith('Preservica', 'Pres')", "true"), ("startsWith('Preservica', 'pres')", "false"), ("startsWith(missing, '')", "true"),
        ("endsWith('file.tif', '.tif')", "true"), ("endsWith('file.tif', '.jpg')", "false"),
        // Conversions
        ("string(n)", #""1024""#), ("string(half)", #""0.5""#), ("string(nothing)", #""""#), ("string(yes)", #""true""#),
        ("string(list)", #""[1,2,3]""#),
        ("int('42')", "42"), ("int(3.9)", "3"), ("int(-3.9)", "-3"), ("int(' 10.7 ')", "10"), ("int('abc')", "null"),
        ("int('0x10')", "null"), ("int(nothing)", "null"),
        ("float('3.5')", "3.5"), ("float(2)", "2"), ("float('1e3')", "1000"), ("float('x')", "null"), ("float('nan')", "null"),
        ("bool(1)", "true"), ("bool(0)", "false"), ("bool('false')", "false"), ("bool('TRUE')", "true"), ("bool('')", "false"),
        ("bool('no')", "true"), ("bool(nothing)", "false"), ("bool(list)", "true"),
        // Arithmetic
        ("add(1, 2)", "3"), ("add(1, 2, 3)", "6"), ("add('a', 'b')", #""ab""#), ("add(1, nothing)", "null"),
        ("sub(10, 3)", "7"), ("sub(10, 3, 2)", "5"), ("sub('a', 1)", "null"),
        ("mul(2, 3.5)", "7"), ("mul(2, 3, 4)", "24"), ("mul(2, 'x')", "null"),
        ("div(10, 4)", "2"), ("div(10, 4.0)", "2.5"), ("div(11, 5.0)", "2.2"), ("div(7.5, 2.5)", "3"), ("div(10, 2.5)", "4"), ("div(n, 1e3)", "1.024"),
        ("div(10, 0)", "null"), ("div(100, 2, 5)", "10"),
        ("mod(7, 3)", "1"), ("mod(7.5, 2)", "1.5"), ("mod(7, 0)", "null"),
        ("max(1, 5, 3)", "5"), ("max(list)", "3"), ("max(-1)", "-1"), ("max(1, 'a')", "null"), ("max(skip(list, 3))", "null"),
        ("min(4, 2.5)", "2.5"), ("min(list)", "1"), ("min(nothing)", "null"),
        ("round(2.5)", "3"), ("round(-2.5)", "-3"), ("round(2.4)", "2"), ("round(1.005, 2)", "1.01"), ("round(3.14159, 3)", "3.142"),
        ("round(n, 2)", "1024"), ("round(0.0004, 3)", "0"), ("round(99.96, 1)", "100"), ("round('x')", "null"), ("round(1.5, -1)", "null"),
    ]

    /// Each case: the escaping the data arrived with, an expression, its JSON result.
    static let escapedCases: [(EscapeCut.Style, String, String)] = [
        // Entities (Slack, Google Chat, Matrix): a cut never ends or begins inside one, and case
        // changes leave them alone.
        (.entities, "substring('Smith &amp; Jones', 0, 8)", #""Smith ""#), (.entities, "substring('Smith &amp; Jones', 9)", #"" Jones""#),
        (.entities, "substring('Smith &amp; Jones', 0, 11)", #""Smith &amp;""#), (.entities, "substring('Tom &amp; Jerry', 6, 2)", #""""#),
        (.entities, "take('Smith &amp; Jones', 9)", #""Smith ""#), (.entities, "skip('Smith &amp; Jones', 8)", #"" Jones""#),
        (.entities, "toUpper('Smith &amp; Jones &#39;x&#39;')", #""SMITH &amp; JONES &#39;X&#39;""#),
        (.entities, "toLower('A &AMP B')", #""a &amp b""#),
        // Backslashes (Discord, Mattermost): `\\` in a template string is one backslash, so the data
        // `a\_b` is Markdown's escaped `a_b`.
        (.backslashes, #"substring('a\\_b', 0, 2)"#, #""a""#), (.backslashes, #"substring('a\\_b', 2)"#, #""\\_b""#),
        (.backslashes, #"substring('a\\\\b', 0, 3)"#, #""a\\\\""#), (.backslashes, "take('R&D', 2)", #""R&""#),
        // Data not escaped (Teams, the generic webhook): cut as it is.
        (.none, "take('Marks&Spencer plc', 10)", #""Marks&Spen""#), (.none, #"substring('C:\\Data', 0, 3)"#, #""C:\\""#),
        (.none, #"skip('C:\\Data', 3)"#, #""Data""#), (.none, "toUpper('a &amp; b')", #""A &AMP; B""#),
    ]

    @Test("text functions cut escaped data between escapes, by the escaping it arrived with", arguments: escapedCases)
    func escapedCuts(style: EscapeCut.Style, expression: String, expected: String) throws {
        let result = try EscapeCut.$style.withValue(style) { try Rendering.evaluate(expression, SampleData.text) }
        #expect(JSONWriter.string(result) == expected, "\(expression)")
    }

    @Test("functions follow Adaptive Expressions semantics", arguments: cases)
    func evaluates(expression: String, expected: String) throws {
        #expect(JSONWriter.string(try Rendering.evaluate(expression, SampleData.text)) == expected, "\(expression)")
    }

    @Test("if only evaluates the branch it picks, so a guarded path is safe")
    func ifIsLazy() throws {
        #expect(try Rendering.evaluate("if(exists(asset.parent), asset.parent.title, 'none')", SampleData.text) == .string("Council"))
        #expect(try Rendering.evaluate("if(exists(missing.parent), missing.parent.title, 'none')", SampleData.text) == .string("none"))
    }
}
