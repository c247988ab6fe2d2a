import Testing
import Foundation
import JSON
import Relay

/// JSON logs a pipeline can read without parsing strings.
@Suite("JSON logs")
struct LoggerTests {
    @Test("counts and durations are JSON numbers; refs, names, zero-padded codes and numbers in other fields stay strings")
    func numbersAreNumbers() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("log-\(UUID().uuidString)").path
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        defer { close(descriptor); try? FileManager.default.removeItem(atPath: path) }
        let logger = Logger(minimumLevel: .info, format: .json, fileDescriptor: descriptor)
        logger.info("asset enriched", ["seq": "12", "ms": "3.5", "attempt": "-1", "entity": "7fdea7e0-1e72-4fb1-aadb-d7f9ee6ed8c2",
                                       "code": "007", "big": "12345678901234567890", "host": "1.2.3.4", "odd": "1e3", "dot": "5.",
                                       "user": "12345", "channel": "2024", "count": "007"])
        let line = try String(contentsOfFile: path, encoding: .utf8).trimmingCharacters(in: .newlines)
        let object = try #require(try JSONParser.parse(line).objectValue)
        #expect(object["seq"] == .number(12))
        #expect(object["ms"] == .number(3.5))
        #expect(object["attempt"] == .number(-1))
        #expect(line.contains("\"seq\":12"))
        // A value from outside that looks like a number stays a string: only count fields are numbers.
        for key in ["entity", "code", "big", "host", "odd", "dot", "user", "channel", "count"] {
            #expect(object[key]?.stringValue != nil, "\(key) should stay a string")
        }
        #expect(object["msg"] == .string("asset enriched"))
    }
}
