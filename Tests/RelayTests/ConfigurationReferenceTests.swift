import Testing
import Foundation
import Relay

/// README.md's configuration reference lists every key the configuration reader accepts. The keys
/// are learnt from the reader itself: an unknown key in each object makes it list what it expects.
@Suite("Configuration reference")
struct ConfigurationReferenceTests {
    /// A small valid configuration, so nested blocks (a channel's digest, a route) are read at all.
    private static var base: [String: Any] { [
        "webhook": ["secrets": ["s"]],
        "channels": ["c": ["type": "webhook", "url": "http://127.0.0.1/hook"]],
        "routes": [["channels": ["c"]]],
        "preservica": ["server": "http://127.0.0.1:9", "username": "u", "password": "p", "tenant": "T"],
    ] }
    private static let probeKey = "zzUnknownKey"

    private enum Step { case key(String), index, entry }

    /// The keys the reader expects at `steps`, or nil when no object is read there.
    private func acceptedKeys(at steps: [Step]) throws -> [String]? {
        var value: Any = [Self.probeKey: 1]
        var path = ""
        for step in steps.reversed() {
            switch step {
            case .key(let key): value = [key: value]
            case .index: value = [value]
            case .entry: value = ["c": value]
            }
        }
        for step in steps {
            switch step {
            case .key(let key): path += path.isEmpty ? key : ".\(key)"
            case .index: path += "[0]"
            case .entry: path += ".c"
            }
        }
        let merged = Self.merge(Self.base, value)
        let data = try JSONSerialization.data(withJSONObject: merged)
        do {
            _ = try RelayConfiguration.parse(data, file: "probe.json5", environment: [:])
        } catch {
            let prefix = (path.isEmpty ? "" : path + ".") + Self.probeKey + ": unknown key (expected one of: "
            guard let line = error.problems.first(where: { $0.hasPrefix(prefix) }) else { return nil }
            let list = line.dropFirst(prefix.count).prefix { $0 != ";" && $0 != ")" }
            return list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        }
        return nil
    }

    private static func merge(_ base: Any, _ addition: Any) -> Any {
        if let left = base as? [String: Any], let right = addition as? [String: Any] {
            return left.merging(right) { merge($0, $1) }
        }
        if let left = base as? [Any], let right = addition as? [Any], let first = left.first, let added = right.first {
            return [merge(first, added)] + left.dropFirst()
        }
        return addition
    }

    /// Every key path the reader accepts, found by probing each key as an object, a list of
    /// objects and a map of named objects.
    private func allKeys() throws -> [String] {
        var found: [String] = []
        var queue: [[Step]] = [[]]
        while let steps = queue.popLast() {
            guard let keys = try acceptedKeys(at: steps) else { continue }
            for key in keys {
                found.append(key)
                for shape in [[Step.key(key)], [.key(key), .index], [.key(key), .entry]] {
                    if steps.count < 6, try acceptedKeys(at: steps + shape) != nil { queue.append(steps + shape) }
                }
            }
        }
        return found
    }

    @Test("every key the reader accepts appears in the README's configuration reference")
    func everyKeyIsDocumented() throws {
        let keys = try allKeys()
        let names = Set(keys)
        // The probe itself must reach the nested blocks, or this test would prove nothing.
        for expected in ["listen", "secrets", "maxHeaderBytes", "folderUrl", "maxAttempts", "foldAfter", "redact", "asset",
                         "titleMatches", "continue", "onStart", "identifiers", "file"] {
            #expect(names.contains(expected), "the reader probe did not find \(expected)")
        }
        let readme = try String(contentsOfFile: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path + "/README.md", encoding: .utf8)
        let start = try #require(readme.range(of: "## Configuration reference"))
        let end = readme.range(of: "\n## ", range: start.upperBound..<readme.endIndex)?.lowerBound ?? readme.endIndex
        let reference = String(readme[start.lowerBound..<end])
        for name in names.sorted() {
            let pattern = "`[^`\\n]*\\b" + NSRegularExpression.escapedPattern(for: name) + "\\b[^`\\n]*`"
            #expect(reference.range(of: pattern, options: .regularExpression) != nil,
                    "README.md's configuration reference does not mention `\(name)`")
        }
    }
}
