import Foundation
import JSON

/// One line per event on stderr, in logfmt (`time=… level=info msg="…" key=value`) or as JSON
/// (`{"time":…,"level":"info","msg":…,"key":"value","seq":12}`, numbers as numbers).
///
/// Values are quoted when needed; callers pass hosts, never URLs with keys or secrets.
public struct Logger: Sendable {
    /// Severity, lowest first.
    public enum Level: Int, Sendable, Comparable, CaseIterable {
        case debug, info, warning, error
        public static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
        var name: String { ["debug", "info", "warn", "error"][rawValue] }
    }

    /// How lines are written.
    public enum Format: String, Sendable {
        /// `key=value` pairs.
        case logfmt
        /// One JSON object per line.
        case json
    }

    /// Lines below this level are dropped.
    public var minimumLevel: Level
    /// How lines are written.
    public var format: Format
    private let fileDescriptor: Int32
    /// Lines that can come in floods, counted per kind (shared by every copy of this logger).
    let repeats: RepeatedLines

    /// A logger writing to `fileDescriptor` (stderr by default).
    public init(minimumLevel: Level = .info, format: Format = .logfmt, fileDescriptor: Int32 = 2) {
        self.init(minimumLevel: minimumLevel, format: format, fileDescriptor: fileDescriptor, repeats: RepeatedLines())
    }

    /// A logger like ``init(minimumLevel:format:fileDescriptor:)`` whose flood limits are `repeats`.
    init(minimumLevel: Level, format: Format = .logfmt, fileDescriptor: Int32, repeats: RepeatedLines) {
        self.minimumLevel = minimumLevel
        self.format = format
        self.fileDescriptor = fileDescriptor
        self.repeats = repeats
    }

    /// A logger that writes nothing.
    public static let silent = Logger(minimumLevel: .error, format: .logfmt, fileDescriptor: -1)

    // The fields are made only for a line that is written: a line per notification at info costs
    // a relay at warn nothing but the level check.
    public func debug(_ message: String, _ fields: @autoclosure () -> KeyValuePairs<String, String> = [:]) { log(.debug, message, fields()) }
    public func info(_ message: String, _ fields: @autoclosure () -> KeyValuePairs<String, String> = [:]) { log(.info, message, fields()) }
    public func warning(_ message: String, _ fields: @autoclosure () -> KeyValuePairs<String, String> = [:]) { log(.warning, message, fields()) }
    public func error(_ message: String, _ fields: @autoclosure () -> KeyValuePairs<String, String> = [:]) { log(.error, message, fields()) }

    /// Writes one line if `level` is at or above the minimum.
    public func log(_ level: Level, _ message: String, _ fields: @autoclosure () -> KeyValuePairs<String, String>) {
        guard level >= minimumLevel, fileDescriptor >= 0 else { return }
        emit(level, message, fields())
    }

    /// Writes a line that can come once per request or per event, and so in floods: at most
    /// ``RepeatedLines/limit`` of one kind (`message` and `key`, a value from a small fixed set)
    /// per second. The rest are counted, and one line with the same message and the fields of the
    /// last one left out says how many (`suppressed=N`) once the second has passed.
    public func repeating(_ level: Level, _ message: String, key: String, _ fields: KeyValuePairs<String, String>) {
        guard level >= minimumLevel, fileDescriptor >= 0 else { return }
        let (write, summary) = repeats.admit(level, message, key: key, fields: fields)
        if let summary { emit(summary) }
        if write { emit(level, message, fields) }
    }

    /// Writes the summary of each window that has passed (of every window when `all` is set).
    func writeSummaries(all: Bool = false) {
        for summary in repeats.due(all: all) { emit(summary) }
    }

    /// Writes each summary about one window after that window has passed, until the task is
    /// cancelled; then writes what is left.
    func runSummaries(clock: any RelayClock) async {
        while !Task.isCancelled {
            await repeats.leftOut.wait(upTo: .seconds(3600), on: clock)
            if Task.isCancelled { break }
            // The window that left a line out began before it, so it has passed by then.
            try? await clock.sleep(for: repeats.window)
            writeSummaries()
        }
        writeSummaries(all: true)
    }

    private func emit(_ summary: RepeatedLines.Summary) {
        emit(summary.level, summary.message, summary.fields + [(key: "suppressed", value: String(summary.count))])
    }

    private func emit<Fields: Sequence>(_ level: Level, _ message: String, _ fields: Fields)
    where Fields.Element == (key: String, value: String) {
        var line: [UInt8] = []
        line.reserveCapacity(256)
        switch format {
        case .logfmt:
            line += "time=".utf8
            line += Timestamp.iso8601().utf8
            line += " level=".utf8
            line += level.name.utf8
            line += " msg=".utf8
            Self.appendQuoted(message, to: &line)
            for (key, value) in fields {
                line.append(0x20)
                line += key.utf8
                line.append(0x3D)
                Self.appendQuoted(value, to: &line)
            }
        case .json:
            var object = JSONObject([("time", .string(Timestamp.iso8601())), ("level", .string(level.name)), ("msg", .string(message))])
            for (key, value) in fields { object[key] = Self.numberKeys.contains(key) ? Self.jsonValue(value) : .string(value) }
            line += JSONWriter.bytes(.object(object))
        }
        line.append(0x0A)
        line.withUnsafeBytes { _ = write(fileDescriptor, $0.baseAddress, $0.count) }
    }

    /// The fields that hold counts, sequence numbers and durations, written as JSON numbers. Only
    /// these: a value from outside that looks like a number (a user name "12345" at the console's
    /// sign-in, a numeric channel name) stays a string, so a log store that types a field by its
    /// first value is not made to refuse the lines that follow.
    static let numberKeys: Set<String> = [
        "active", "attempt", "attempts", "bitstreams", "cards", "cards_waiting", "changed", "channels", "count", "deleted", "depth",
        "events", "ms", "notifications", "queued", "records", "routes", "secrets", "seq", "skipped", "suppressed", "taken",
        "wait_ms", "waitSeconds",
    ]

    /// A count, a sequence number or a duration in milliseconds is a JSON number, so a log
    /// pipeline can sum and compare it without parsing; anything else stays a string. Only plainly
    /// written numbers qualify (`12`, `-3`, `2.5`; not `007` or `1e3`), and only up to 15 digits,
    /// which a JSON reader holds exactly.
    static func jsonValue(_ value: String) -> JSONValue {
        var digits = value.utf8[...]
        if digits.first == UInt8(ascii: "-") { digits = digits.dropFirst() }
        let whole = digits.prefix { $0 >= 0x30 && $0 <= 0x39 }
        let rest = digits.dropFirst(whole.count)
        let fraction = rest.first == UInt8(ascii: ".") ? rest.dropFirst() : rest
        let plain = !whole.isEmpty && whole.count <= 15 && (whole.count == 1 || whole.first != 0x30)
            && (rest.isEmpty || (!fraction.isEmpty && fraction.count <= 6 && fraction.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }))
        guard plain, let number = Double(value) else { return .string(value) }
        return .number(number)
    }

    private static func appendQuoted(_ value: String, to line: inout [UInt8]) {
        // JSON string syntax is valid logfmt quoting.
        if isPlain(value) { line += value.utf8 } else { line += JSONWriter.quoted(value).utf8 }
    }

    /// Printable ASCII without space, quote, `=` or backslash: written as it is.
    private static func isPlain(_ value: String) -> Bool {
        !value.isEmpty && value.utf8.allSatisfy { $0 > 0x20 && $0 < 0x7F && $0 != 0x22 && $0 != 0x3D && $0 != 0x5C }
    }
}
