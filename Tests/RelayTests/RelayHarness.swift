import Foundation
@testable import Relay
import Hashing
import Preservica
import HTTPServer
import TestSupport

/// A relay started in-process on a free loopback port with a fresh data directory and its log in a file.
final class RelayHarness: @unchecked Sendable {
    static let secret = "my_shared_secret"

    let directory: String
    let logPath: String
    var configuration: RelayConfiguration
    private(set) var service: RelayService?
    private(set) var port = 0
    private var logDescriptor: Int32 = -1
    /// The log's flood limits, when a test sets its own (its clock, say).
    var repeats: RepeatedLines?
    /// Where the log goes instead of the file (a pipe, say); the harness closes it.
    var logTo: Int32?

    init(secrets: [String] = [RelayHarness.secret], limits: HTTPServerLimits = HTTPServerLimits(),
         preservica: PreservicaSettings? = nil) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("relay-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        logPath = directory + "/relay.log"
        configuration = RelayConfiguration(listenPort: 0, dataDirectory: directory + "/data",
                                           webhookSecrets: secrets.map(Secret.init), limits: limits)
        configuration.preservica = preservica
    }

    deinit {
        if logDescriptor >= 0 { close(logDescriptor) }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Starts (or restarts) the relay on the same data directory.
    func start() throws {
        if logDescriptor < 0 { logDescriptor = logTo ?? open(logPath, O_WRONLY | O_CREAT | O_APPEND, 0o600) }
        let logger = Logger(minimumLevel: .debug, fileDescriptor: logDescriptor, repeats: repeats ?? RepeatedLines())
        let service = try RelayService(configuration: configuration, logger: logger)
        port = try service.start()
        self.service = service
    }

    func stop() async {
        await service?.stop(gracePeriod: .seconds(2))
        service = nil
    }

    func client() throws -> RawHTTPClient { try RawHTTPClient(port: port) }

    /// The relay's webhook URL.
    var webhookURL: String { "http://127.0.0.1:\(port)/webhook" }

    /// Waits until the pipeline has enriched `ref`, or `timeout` passes.
    func enriched(_ ref: String, timeout: Duration = .seconds(60)) async -> EnrichedAsset? {
        var found: EnrichedAsset?
        _ = await eventually(timeout: timeout) {
            found = service?.worker.recent.first { $0.ref == ref }
            return found != nil
        }
        return found
    }

    /// Everything the relay logged so far.
    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Every record in the incoming journal.
    var journal: [JournalRecord] { IncomingJournal.readRecords(directory: configuration.dataDirectory + "/incoming") }

    /// All bytes under the data directory, to check that no secret was written.
    var spoolBytes: String {
        let root = configuration.dataDirectory
        let files = FileManager.default.enumerator(atPath: root)?.compactMap { $0 as? String } ?? []
        return files.compactMap { FileManager.default.contents(atPath: root + "/" + $0) }
            .map { String(decoding: $0, as: UTF8.self) }.joined()
    }

    /// A signed POST to the webhook, as Preservica sends it (Content-Length framing here).
    static func signedRequest(_ body: String, secret: String = RelayHarness.secret) -> String {
        let signature = WebhookVerifier.signature(body: Array(body.utf8), secret: secret)
        return "POST /webhook HTTP/1.1\r\nHost: relay\r\nContent-Type: application/json\r\n"
            + "Preservica-Signature: \(signature)\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
    }

    /// The reference's known-answer notification body (280 bytes).
    static let knownBody = #"{"subscriptionId":"9495ddbf7d4a0b9f030a3411c87f967d","timestamp":"2023-10-11T10:52:42.469","tenant":"BRAMA","version":"6.10","events":[{"event":"FullTextIndexed","entityType":"IO","entityRef":"7fdea7e0-1e72-4fb1-aadb-d7f9ee6ed8c2","identifiers":[]}],"trigger":"FULL_TEXT_INDEXED"}"#
    static let knownSignature = "9164ce2a553feae08e0f6064a84a8311c6672b550ba7db82c138876854ab74cf"

    /// A notification for `entityRef` with a unique subscription and timestamp.
    static func notification(entityRef: String = UUID().uuidString.lowercased(), trigger: String = "FULL_TEXT_INDEXED") -> String {
        let subscription = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        return #"{"subscriptionId":"\#(subscription)","timestamp":"2025-03-04T09:15:02.118","tenant":"DEMO","version":"7.7","events":[{"event":"FullTextIndexed","entityType":"IO","entityRef":"\#(entityRef)","identifiers":[]}],"trigger":"\#(trigger)"}"#
    }
}
