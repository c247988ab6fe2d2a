import Foundation
import JSON

/// Walks a configuration tree, collecting every problem with its JSON path instead of stopping at
/// the first, and expanding `${ENV}` references and `{ file: "path" }` secrets.
struct ConfigurationReader {
    private(set) var problems: [String] = []
    private(set) var warnings: [String] = []
    /// Paths of secrets written in the file itself, rather than read from `${VAR}` or `{ file: }`.
    private(set) var inlineSecrets: [String] = []
    let environment: [String: String]

    init(environment: [String: String]) {
        self.environment = environment
    }

    mutating func problem(_ path: String, _ message: String) {
        problems.append(path.isEmpty ? message : "\(path): \(message)")
    }

    mutating func warning(_ path: String, _ message: String) {
        warnings.append(path.isEmpty ? message : "\(path): \(message)")
    }

    /// One problem per key the document repeats: which of two values was meant is anyone's guess.
    mutating func reportDuplicates(_ document: JSON5Document) {
        for duplicate in document.duplicateKeys {
            problem(duplicate.path, "duplicate key (again at line \(duplicate.line), column \(duplicate.column)); give each key once")
        }
    }

    /// The members of an object, reporting a wrong type and every key not in `allowed`.
    mutating func object(_ value: JSONValue?, _ path: String, allowed: [String]) -> JSONObject? {
        guard let value else { return nil }
        guard case .object(let members) = value else {
            problem(path, "expected an object, found \(value.typeName)")
            return nil
        }
        for key in members.keys where !allowed.contains(key) {
            let keyPath = path.isEmpty ? key : "\(path).\(key)"
            let hint = Self.closest(to: key, in: allowed).map { "; did you mean \"\($0)\"?" } ?? ""
            problem(keyPath, "unknown key (expected one of: \(allowed.joined(separator: ", "))\(hint))")
        }
        return members
    }

    /// A string with `${ENV}` references expanded.
    mutating func string(_ value: JSONValue?, _ path: String) -> String? {
        guard let value else { return nil }
        guard case .string(let text) = value else {
            problem(path, "expected a string, found \(value.typeName)")
            return nil
        }
        return expand(text, path)
    }

    /// A secret: a string (usually `"${ENV}"`) or `{ file: "path" }` read from disk, trailing newline removed.
    mutating func secret(_ value: JSONValue?, _ path: String) -> Secret? {
        guard let value else { return nil }
        if case .object = value {
            guard let members = object(value, path, allowed: ["file"]) else { return nil }
            guard let file = string(members["file"], "\(path).file") else {
                if members["file"] == nil { problem(path, "expected { file: \"path\" }") }
                return nil
            }
            guard let data = FileManager.default.contents(atPath: file) else {
                problem("\(path).file", "cannot read secret file \(file)")
                return nil
            }
            if let mode = Self.permissions(of: file), mode & 0o044 != 0 {
                warning("\(path).file", "secret file \(file) is readable by \(mode & 0o004 != 0 ? "others" : "its group") "
                    + "(mode \(String(mode, radix: 8))); make it readable by its owner only: chmod 600 \(file)")
            }
            // Never repeats the file's contents: each problem names the file only.
            guard var text = String(validating: data, as: UTF8.self) else {
                problem("\(path).file", "secret file \(file) is not UTF-8 text (saved as UTF-16 or in a legacy encoding?); save it as UTF-8")
                return nil
            }
            // A byte-order mark (some Windows editors write one) is no part of the secret.
            if text.unicodeScalars.first == "\u{FEFF}" { text.unicodeScalars.removeFirst() }
            text = Self.withoutLineEnd(text)
            guard !text.isEmpty else {
                problem("\(path).file", "secret file \(file) is empty")
                return nil
            }
            guard !Self.holdsControlCharacter(text) else {
                problem("\(path).file", "secret file \(file) holds a control character (more than one line, a tab, or UTF-16?); "
                    + "write the secret alone on one line")
                return nil
            }
            return Secret(text)
        }
        guard case .string = value else {
            problem(path, "expected a string or { file: \"path\" }, found \(value.typeName)")
            return nil
        }
        guard let text = string(value, path) else { return nil }
        guard !text.isEmpty else {
            problem(path, "secret is empty")
            return nil
        }
        if case .string(let raw) = value, !raw.contains("${") { inlineSecrets.append(path) }
        return Secret(text)
    }

    /// `text` without the line ends at its end (`\n`, or `\r\n` written on Windows).
    static func withoutLineEnd(_ text: String) -> String {
        var text = text
        while let last = text.unicodeScalars.last, last == "\n" || last == "\r" { text.unicodeScalars.removeLast() }
        return text
    }

    /// Whether `text` holds a control character, which would break a URL or a header without a word.
    static func holdsControlCharacter(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
    }

    /// Whether `name` can name an environment variable: a letter or `_`, then letters, digits or `_`.
    static func isVariableName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic) else { return false }
        return name.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }

    /// A whole number within `range`.
    mutating func integer(_ value: JSONValue?, _ path: String, in range: ClosedRange<Int>) -> Int? {
        guard let value else { return nil }
        guard case .number(let number) = value, number.rounded() == number, number.magnitude < 1e15 else {
            problem(path, "expected a whole number from \(range.lowerBound) to \(range.upperBound), found "
                + (value.numberValue.map { "\($0)" } ?? value.typeName))
            return nil
        }
        guard range.contains(Int(number)) else {
            problem(path, "expected a number from \(range.lowerBound) to \(range.upperBound), found \(Int(number))")
            return nil
        }
        return Int(number)
    }

    /// A positive duration such as `"10s"`.
    /// A duration, at least `least` when given: shorter, what it bounds could never succeed
    /// (every Preservica call timing out, every request answered 408, every card dead at once).
    mutating func duration(_ value: JSONValue?, _ path: String, atLeast least: Duration? = nil) -> Duration? {
        guard let text = string(value, path) else { return nil }
        guard let duration = DurationText.parse(text), duration > .zero else {
            problem(path, "expected a duration such as \"250ms\", \"10s\", \"5m\" or \"24h\", found \"\(text)\"")
            return nil
        }
        if let least, duration < least {
            problem(path, "at least \(DurationText.format(least)); \"\(text)\" is too short to work")
            return nil
        }
        return duration
    }

    /// `text` with every `${NAME}` replaced by the environment variable; `$${` stands for a literal `${`.
    private mutating func expand(_ text: String, _ path: String) -> String? {
        guard text.contains("$") else { return text }
        var out = ""
        var rest = Substring(text)
        var ok = true
        while let dollar = rest.firstIndex(of: "$") {
            out += rest[..<dollar]
            let after = rest[dollar...]
            if after.hasPrefix("$${") {
                out += "${"
                rest = after.dropFirst(3)
            } else if after.hasPrefix("${"), let close = after.firstIndex(of: "}") {
                let name = String(after[after.index(dollar, offsetBy: 2)..<close])
                if let given = environment[name] {
                    // As for a secret file: a line end at the end (an EnvironmentFile written on
                    // Windows leaves `\r`) is no part of the value; one inside it is a mistake.
                    let value = Self.withoutLineEnd(given)
                    if Self.holdsControlCharacter(value) {
                        problem(path, "environment variable \(name) holds a control character (a line break or tab?); remove it")
                        ok = false
                    }
                    out += value
                } else if Self.isVariableName(name) {
                    problem(path, "environment variable \(name) is not set")
                    ok = false
                } else {
                    // Not a name a variable can have: most likely part of a password, so not repeated.
                    problem(path, "\"${\" here is followed by no environment variable's name; write $${ for a literal ${")
                    ok = false
                }
                rest = after[after.index(after: close)...]
            } else if after.hasPrefix("${") {
                problem(path, "\"${\" without its closing \"}\"; write $${ for a literal ${")
                ok = false
                rest = after.dropFirst(2)
            } else {
                out += "$"
                rest = after.dropFirst()
            }
        }
        out += rest
        return ok ? out : nil
    }

    /// The permission bits of `file` (following symbolic links, as reading it does).
    static func permissions(of file: String) -> Int? {
        var info = stat()
        guard stat(file, &info) == 0 else { return nil }
        return Int(info.st_mode) & 0o777
    }

    /// The allowed key within two edits of `key`, if one is.
    private static func closest(to key: String, in allowed: [String]) -> String? {
        allowed.map { ($0, editDistance(key.lowercased(), $0.lowercased())) }
            .filter { $0.1 <= 2 }
            .min { $0.1 < $1.1 }?.0
    }

    private static func editDistance(_ a: String, _ b: String) -> Int {
        let x = Array(a), y = Array(b)
        var previous = Array(0...y.count)
        for i in 1...max(x.count, 1) where !x.isEmpty {
            var current = [i] + Array(repeating: 0, count: y.count)
            for j in 1...max(y.count, 1) where !y.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[y.count]
    }
}
