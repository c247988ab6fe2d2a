import Dispatch
import Foundation
import Hashing
import JSON

/// `<dataDir>/refused/`: correctly signed bodies the relay could not read as a notification (a
/// field missing or of another type), so that what Preservica sent is not lost with the 400.
///
/// One JSON file per distinct body, named by its SHA-256 (a retry of the same body is kept once):
/// when and from where it came, why it was refused, which secret signed it, and the body itself
/// (as text when it is UTF-8, else base64). Only bodies that carry a valid signature are kept, so
/// only someone who holds the secret can add to it; at most ``limit`` files and ``byteLimit``
/// bytes are kept, so a sender who changed its format cannot fill the disk the journal needs.
/// Bodies are written one at a time on a queue shared by every store of the process, off the event loops and the
/// cooperative pool.
public final class RefusedNotifications: Sendable {
    /// What became of a refused body.
    public enum Outcome: Sendable, Equatable {
        /// Written now, as `refused/<name>`.
        case kept(String)
        /// The same body was kept before, as `refused/<name>`.
        case keptBefore(String)
        /// The directory already holds its limit of files or bytes: not kept.
        case full
        /// It could not be written (a full disk, permissions): not kept.
        case failed(String)

        /// For the log line: where the body is, or why it is not kept.
        public var text: String {
            switch self {
            case .kept(let name), .keptBefore(let name): "refused/" + name
            case .full: "not kept: refused/ holds its limit of files or bytes"
            case .failed(let why): "not kept: " + why
            }
        }
    }

    /// The directory.
    public let path: String
    /// How many files the directory may hold.
    public let limit: Int
    /// How many bytes its files may hold together.
    public let byteLimit: Int
    /// One queue for every store of the process (the receiver's, and the worker's for records it
    /// cannot read): one body at a time, so the limits hold and no two write the same file.
    private static let queue = DispatchQueue(label: "preservica-relay.refused")

    public init(dataDirectory: String, limit: Int = 1000, byteLimit: Int = 64 << 20) {
        path = dataDirectory + "/refused"
        self.limit = limit
        self.byteLimit = byteLimit
    }

    /// Keeps `body` with why it was refused, then calls `completion` with what became of it (on
    /// the queue, once the file is durable).
    public func keep(body: [UInt8], reason: String, peer: String, secretIndex: Int, receivedAt: String,
                     completion: @escaping @Sendable (Outcome) -> Void) {
        Self.queue.async { [self] in
            completion(keepNow(body: body, reason: reason, peer: peer, secretIndex: secretIndex, receivedAt: receivedAt))
        }
    }

    /// ``keep(body:reason:peer:secretIndex:receivedAt:completion:)`` waited for.
    public func keep(body: [UInt8], reason: String, peer: String, secretIndex: Int, receivedAt: String) async -> Outcome {
        await withCheckedContinuation { continuation in
            keep(body: body, reason: reason, peer: peer, secretIndex: secretIndex, receivedAt: receivedAt) { continuation.resume(returning: $0) }
        }
    }

    private func keepNow(body: [UInt8], reason: String, peer: String, secretIndex: Int, receivedAt: String) -> Outcome {
        let name = Hex.encode(Array(SHA256.hash(body).prefix(16))) + ".json"
        let file = path + "/" + name
        if FileManager.default.fileExists(atPath: file) { return .keptBefore(name) }
        var fields: [(String, JSONValue)] = [
            ("receivedAt", .string(receivedAt)), ("peer", .string(peer)), ("reason", .string(reason)),
            ("secretIndex", .number(Double(secretIndex))),
        ]
        if let text = String(validating: body, as: UTF8.self) {
            fields.append(("body", .string(text)))
        } else {
            fields.append(("bodyBase64", .string(Data(body).base64EncodedString())))
        }
        let record = Array(JSONWriter.pretty(.object(JSONObject(fields))).utf8) + [0x0a]
        let (files, bytes) = usage
        if files >= limit || bytes + record.count > byteLimit { return .full }
        do {
            try SpoolFiles.replace(file, with: record)
            return .kept(name)
        } catch {
            return .failed(error.description)
        }
    }

    /// How many refused bodies are kept.
    public var count: Int { names.count }

    private var names: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []).filter { $0.hasSuffix(".json") }
    }

    /// The files kept and their bytes together.
    private var usage: (files: Int, bytes: Int) {
        let names = self.names
        let bytes = names.reduce(0) { total, name in
            total + ((try? FileManager.default.attributesOfItem(atPath: path + "/" + name)[.size] as? Int) ?? 0)
        }
        return (names.count, bytes)
    }
}
