import Testing
import CardTemplates
import JSON

@Suite("formatNumber and formatDateTime")
struct FormattingTests {
    static let numberCases: [(String, String)] = [
        ("formatNumber(1234.5, 2)", "1,234.50"),
        ("formatNumber(1234567.891, 2, 'en-US')", "1,234,567.89"),
        ("formatNumber(1024, 0)", "1,024"),
        ("formatNumber(999, 0)", "999"),
        ("formatNumber(999.999, 2)", "1,000.00"),
        ("formatNumber(0.125, 2)", "0.13"),
        ("formatNumber(1.005, 2)", "1.01"),
        ("formatNumber(2.675, 2)", "2.68"),
        ("formatNumber(-2.5, 0)", "-3"),
        ("formatNumber(1234.5678, 3)", "1,234.568"),
        ("formatNumber(0.0449, 1)", "0.0"),
        ("formatNumber(123456789.987, 1)", "123,456,790.0"),
        ("formatNumber(-1234.5, 1)", "-1,234.5"),
        ("formatNumber(-0.001, 2)", "0.00"),
        ("formatNumber(0.5, 0)", "1"),
        ("formatNumber(5e-7, 8)", "0.00000050"),
        ("formatNumber(1e21, 0)", "1,000,000,000,000,000,000,000"),
        ("formatNumber(1234.5, 2, 'invariant')", "1234.50"),
        ("formatNumber(1234.5, 2, '')", "1234.50"),
        ("formatNumber(1234.5, 1, 'de-DE')", "1.234,5"),
        ("formatNumber(1234.5, 1, 'fr-FR')", "1\u{00A0}234,5"),
        ("formatNumber(1234.5, 1, 'xx-YY')", "1,234.5"),
        ("formatNumber(1234.5, 1, 'nl_NL')", "1.234,5"),
        ("formatNumber(1234.5, 1, 'sv')", "1\u{00A0}234,5"),
        ("formatNumber(1234567.891, 2, 'de-CH')", "1\u{2019}234\u{2019}567.89"),
        ("formatNumber(12, 2, missing)", "12.00"),
        ("formatNumber(n / 1024, 1) + ' KB'", "1.0 KB"),
    ]

    @Test("formatNumber rounds half away from zero and groups thousands", arguments: numberCases)
    func formatNumber(expression: String, expected: String) throws {
        #expect(try Rendering.evaluate(expression, SampleData.text) == .string(expected), "\(expression)")
    }

    @Test("formatNumber gives null for a non-number or a bad precision")
    func formatNumberRejects() throws {
        for expression in ["formatNumber('12', 2)", "formatNumber(missing, 2)", "formatNumber(1, -1)", "formatNumber(1, 1.5)", "formatNumber(1, 'x')"] {
            #expect(try Rendering.evaluate(expression, SampleData.text) == .null, "\(expression)")
        }
    }

    static let dateCases: [(String, String)] = [
        // Preservica's zone-less timestamps are UTC.
        ("formatDateTime(ts)", "2023-10-11T10:52:42.469Z"),
        ("formatDateTime(ts, 'dd MMM yyyy HH:mm')", "11 Oct 2023 10:52"),
        ("formatDateTime(ts, 'dddd, MMMM d, yyyy h:mm tt')", "Wednesday, October 11, 2023 10:52 AM"),
        ("formatDateTime(ts, 'ddd d/M/yy')", "Wed 11/10/23"),
        ("formatDateTime(ts, 'HH:mm:ss.fff')", "10:52:42.469"),
        ("formatDateTime(ts, 'ss.ff F')", "42.46 4"),
        ("formatDateTime(ts, \"'Ingested' d MMM\")", "Ingested 11 Oct"),
        ("formatDateTime(ts, 'yyyy-MM-dd\\'T\\'HH')", "2023-10-11T10"),
        ("formatDateTime(ts, 'yyyyMMdd K zzz')", "20231011 Z +00:00"),
        ("formatDateTime('2023-10-11T10:52:42.469Z')", "2023-10-11T10:52:42.469Z"),
        ("formatDateTime('2023-10-11T23:30:00+02:00')", "2023-10-11T21:30:00.000Z"),
        ("formatDateTime('2023-12-31T22:00:00-0500')", "2024-01-01T03:00:00.000Z"),
        ("formatDateTime('2024-02-29')", "2024-02-29T00:00:00.000Z"),
        ("formatDateTime('2023-10-11 08:05')", "2023-10-11T08:05:00.000Z"),
        ("formatDateTime('2023-10-11T00:05:00Z', 'h:mm tt')", "12:05 AM"),
        ("formatDateTime('2023-10-11T12:05:00Z', 'hh:mm t')", "12:05 P"),
        ("formatDateTime('2023-10-11T10:52:42.4699999Z')", "2023-10-11T10:52:42.469Z"),
        ("formatDateTime('1969-12-31T23:59:59.999Z', 'dddd yyyy-MM-dd HH:mm:ss.fff')", "Wednesday 1969-12-31 23:59:59.999"),
        ("formatDateTime(ts, '')", "2023-10-11T10:52:42.469Z"),
        ("formatDateTime(ts, 'd MMM', 'de-DE')", "11 Oct"),
        (#"formatDateTime(ts, 'HH\\hmm « yyyy » \\é')"#, "10h52 « 2023 » é"),
    ]

    @Test("formatDateTime uses .NET custom format strings in UTC", arguments: dateCases)
    func formatDateTime(expression: String, expected: String) throws {
        #expect(try Rendering.evaluate(expression, SampleData.text) == .string(expected), "\(expression)")
    }

    @Test("formatDateTime gives null for text that is not an ISO 8601 timestamp")
    func formatDateTimeRejects() throws {
        for text in ["yesterday", "2023-02-30", "2023-13-01", "2023-10-11T25:00", "2023-10-11T10:52:42.", "2023-10-11T10:52Zjunk", ""] {
            #expect(try Rendering.evaluate("formatDateTime('\(text)')") == .null, "\(text)")
        }
        // An offset that carries the first or last day outside years 1 to 9999 (year -1 trapped).
        for text in ["0000-01-01T00:00:00+00:01", "0001-01-01T00:00:00+00:01", "9999-12-31T23:59:59-14:00"] {
            #expect(try Rendering.evaluate("formatDateTime('\(text)', 'yyyy yy d')") == .null, "\(text)")
        }
        #expect(try Rendering.evaluate("formatDateTime('0001-01-01T00:01:00+00:01', 'yyyy yy d')") == .string("0001 01 1"))
        #expect(try Rendering.evaluate("formatDateTime('9999-12-31T23:59:59.999Z', 'yyyy')") == .string("9999"))
        #expect(try Rendering.evaluate("formatDateTime(n)", SampleData.text) == .null)
        #expect(try Rendering.evaluate("formatDateTime(missing)", SampleData.text) == .null)
    }
}
