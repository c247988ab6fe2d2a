import Foundation
import Hashing
import JSON

/// `<dataDir>/refused/`: correctly signed bodies the relay could not read as a notification (a
/// field missing or of another type), so that what Preservica sent is not lost with the 400.
///
/// One JSON file per distinct body, named by its SHA-256 (a retry of the same body is kept once):
/// when and from where it came, why it was refused, which secret signed it, and the body itself
/// (as text when it is UTF-8, else base64). Only bodies that carry a valid signature are kept, so
/// only someone who holds the secret can add to it, and at most ``limit`` files are kept.
public struct RefusedNotifications: Sendable {
    /// What became of a refused body.
    public enum Outcome: Sendable, Equatable {
        /// Written now, as `refused/<name>`.
        case kept(String)
        /// The same body was kept before, as `refused/<name>`.
        case keptBefore(String)
        /// The directory already holds ``RefusedNotifications/limit`` files: not kept.
        case full
        /// It could not be written (a full disk, permissions): not kept.
        case failed(String)

        /// For the log line: where the body is, or why it is not kept.
        public var text: String {
            switch self {
            case .kept(let name), .keptBefore(let name): "refused/" + name
            case .full: "not kept: refused/ holds its limit of files"
            case .failed(let why): "not kept: " + why
            }
        }
    }

    /// The directory.
    public let path: String
    /// How many files the directory may hold.
    public let limit: Int

    public init(dataDirectory: String, limit: Int = 1000) {
        path = dataDirectory + "/refused"
        self.limit = limit
    }

    /// Keeps `body` with why it was refused; durable before this returns (it writes and syncs a
    /// file: call it off an event loop).
    public func keep(body: [UInt8], reason: String, peer: String, secretIndex: Int, receivedAt: String) -> Outcome {
        let name = Hex.encode(Array(SHA256.hash(body).prefix(16))) + ".json"
        let file = path + "/" + name
        if FileManager.default.fileExists(atPath: file) { return .keptBefore(name) }
        if count >= limit { return .full }
        var fields: [(String, JSONValue)] = [
            ("receivedAt", .string(receivedAt)), ("peer", .string(peer)), ("reason", .string(reason)),
            ("secretIndex", .number(Double(secretIndex))),
        ]
        if let text = String(validating: body, as: UTF8.self) {
            fields.append(("body", .string(text)))
        } else {
            fields.append(("bodyBase64", .string(Data(body).base64EncodedString())))
        }
        do {
            try SpoolFiles.replace(file, with: Array(JSONWriter.pretty(.object(JSONObject(fields))).utf8) + [0x0a])
            return .kept(name)
        } catch {
            return .failed(error.description)
        }
    }

    /// How many refused bodies are kept.
    public var count: Int {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { $0.hasSuffix(".json") }.count
    }
}
