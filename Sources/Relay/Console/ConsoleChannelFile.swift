import Foundation
import JSON

/// `<dataDir>/console/channels.json`: the console's channels with their URLs, so the file is
/// private (0600 in a 0700 directory) and replaced atomically (temporary file, fsync, rename,
/// directory fsync); a crash leaves the old file or the new one, never half of either.
public struct ConsoleChannelFile: Sendable {
    /// The format this code writes and reads.
    static let format = 1
    /// `<dataDir>/console`.
    public let directory: String
    /// `<dataDir>/console/channels.json`.
    public var path: String { directory + "/channels.json" }

    /// The file under `dataDirectory`.
    public init(dataDirectory: String) {
        directory = dataDirectory + "/console"
    }

    /// The channels stored, none when there is no file yet, or a problem naming the field at fault.
    public func read() -> Result<[ConsoleChannel], ConsoleFieldError> {
        guard FileManager.default.fileExists(atPath: path) else { return .success([]) }
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(ConsoleFieldError(field: "", "\(path): cannot be read", status: 503))
        }
        let tree: JSONValue
        do {
            tree = try JSONParser.parse(Array(data))
        } catch {
            return .failure(ConsoleFieldError(field: "", "\(path): not valid JSON (\(error))", status: 503))
        }
        guard let root = tree.objectValue, root["format"]?.numberValue == Double(Self.format) else {
            return .failure(ConsoleFieldError(field: "", "\(path): expected an object with \"format\": \(Self.format)", status: 503))
        }
        guard let items = root["channels"]?.arrayValue else {
            return .failure(ConsoleFieldError(field: "", "\(path): expected \"channels\": [...]", status: 503))
        }
        var channels: [ConsoleChannel] = []
        for (index, item) in items.enumerated() {
            do {
                let channel = try ConsoleChannel.stored(item, at: "channels[\(index)]")
                if channels.contains(where: { $0.name == channel.name }) {
                    return .failure(ConsoleFieldError(field: "", "\(path): channels[\(index)].name: \"\(channel.name)\" appears twice", status: 503))
                }
                channels.append(channel)
            } catch {
                return .failure(ConsoleFieldError(field: "", "\(path): \(error)", status: 503))
            }
        }
        return .success(channels)
    }

    /// Replaces the file with `channels`.
    public func write(_ channels: [ConsoleChannel]) throws(ConsoleFieldError) {
        let document = JSONValue.object(JSONObject([("format", .number(Double(Self.format))),
                                                    ("channels", .array(channels.map(\.storedJSON)))]))
        let bytes = Array(JSONWriter.pretty(document).utf8) + [0x0a]
        do {
            try SpoolFiles.replace(path, with: bytes)
        } catch {
            throw failure("cannot write \(path): \(error)")
        }
    }

    private func failure(_ message: String) -> ConsoleFieldError {
        ConsoleFieldError(field: "", "the change was not saved: \(message)", status: 503)
    }
}
