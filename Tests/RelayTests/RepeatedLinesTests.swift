import Foundation
import Testing
import TestSupport
import HTTPServer
import Preservica
import Synchronization
@testable import Relay

/// A flood of one kind of log line (a wrong secret, events no route takes) is a few lines and a
/// count, not a line per request.
@Suite("Repeated log lines")
struct RepeatedLinesTests {
    /// A logger writing to a fresh file, flood-limited on `clock`.
    private func withLogFile(clock: ManualRelayClock, _ body: (Logger, () -> [String]) async throws -> Void) async rethrows {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("repeats-\(UUID().uuidString)").path
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        defer { close(descriptor); try? FileManager.default.removeItem(atPath: path) }
        let logger = Logger(minimumLevel: .info, fileDescriptor: descriptor, repeats: RepeatedLines(now: { clock.instant() }))
        try await body(logger) {
            ((try? String(contentsOfFile: path, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }
    }

    @Test("five lines of a kind a second are written; the rest are counted and summed up once the second has passed")
    func fiveASecond() async throws {
        let clock = ManualRelayClock()
        try await withLogFile(clock: clock) { logger, lines in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { await logger.runSummaries(clock: clock) }
                for peer in 1...20 {
                    logger.repeating(.warning, "rejected notification", key: "bad signature", ["reason": "bad signature", "peer": "10.0.0.\(peer)"])
                }
                #expect(lines().count == 5)
                #expect(lines().last?.contains("peer=10.0.0.5") == true)
                // The summary waits for the end of the second that began with the first line.
                #expect(await eventually { clock.nextWake == .seconds(1) })
                #expect(lines().count == 5)
                clock.advance(by: .seconds(1))
                #expect(await eventually { lines().count == 6 })
                let summary = try #require(lines().last)
                #expect(summary.contains("level=warn msg=\"rejected notification\" reason=\"bad signature\" peer=10.0.0.20 suppressed=15"), "\(summary)")
                group.cancelAll()
            }
            #expect(lines().count == 6, "nothing was left to write at the end")
        }
    }

    @Test("kinds are counted apart, and what a window left out is written before the next line of its kind")
    func kindsApart() {
        let start = ContinuousClock.now
        let offset = Mutex(Duration.zero)
        let repeats = RepeatedLines(limit: 2, now: { start + offset.withLock { $0 } })
        func admit(_ key: String, _ n: Int) -> (write: Bool, summary: RepeatedLines.Summary?) {
            repeats.admit(.warning, "rejected notification", key: key, fields: ["reason": key, "n": String(n)])
        }
        #expect((1...5).map { admit("bad signature", $0).write } == [true, true, false, false, false])
        #expect((1...3).map { admit("missing signature", $0).write } == [true, true, false])
        #expect(repeats.due().isEmpty, "the second has not passed")
        offset.withLock { $0 = .milliseconds(1_000) }
        let next = admit("bad signature", 6)
        #expect(next.write)
        #expect(next.summary?.count == 3)
        #expect(next.summary?.fields.map(\.value) == ["bad signature", "5"])
        // The other kind's summary is still there for the summary loop, once.
        #expect(repeats.due().map(\.count) == [1])
        #expect(repeats.due().isEmpty)
    }

    @Test("a line below the logger's level is neither written nor counted")
    func belowLevel() async {
        let clock = ManualRelayClock()
        await withLogFile(clock: clock) { logger, lines in
            for _ in 1...20 { logger.repeating(.debug, "asset not enriched", key: "", [:]) }
            #expect(lines().isEmpty)
            #expect(logger.repeats.due(all: true).isEmpty)
        }
    }

    @Test("a sender with a wrong secret gets every 401, and the log five lines and a count")
    func wrongSecretFlood() async throws {
        let relay = try RelayHarness()
        // All within one second, however slow the machine: the count is written at shutdown.
        let second = ContinuousClock.now
        relay.repeats = RepeatedLines(now: { second })
        try relay.start()
        let client = try relay.client()
        for _ in 1...12 {
            try await client.send(RelayHarness.signedRequest(RelayHarness.notification(), secret: "not-the-secret"))
            #expect(try await client.readResponse().status == 401)
        }
        func rejected() -> [Substring] { relay.log.split(separator: "\n").filter { $0.contains("msg=\"rejected notification\"") } }
        #expect(rejected().count == 5)
        let metrics = try #require(relay.service?.metrics)
        await relay.stop()
        #expect(rejected().count == 6)
        #expect(rejected().last?.contains("reason=\"bad signature\"") == true)
        #expect(rejected().last?.hasSuffix("suppressed=7") == true)
        #expect(metrics.counter("preservica_relay_notifications_rejected_total", [("reason", "bad_signature")]) == 12)
    }

    @Test("anyone can ask for a handshake: ten get ten answers, and the log five lines and a count")
    func handshakeFlood() async throws {
        let relay = try RelayHarness()
        let second = ContinuousClock.now
        relay.repeats = RepeatedLines(now: { second })
        try relay.start()
        let client = try relay.client()
        for index in 1...10 {
            try await client.send("POST /webhook?challengeCode=code-\(index) HTTP/1.1\r\nHost: relay\r\nContent-Length: 0\r\n\r\n")
            #expect(try await client.readResponse().status == 200)
        }
        func answered() -> [Substring] { relay.log.split(separator: "\n").filter { $0.contains("msg=\"answered subscription handshake\"") } }
        #expect(answered().count == 5)
        await relay.stop()
        #expect(answered().count == 6)
        #expect(answered().last?.hasSuffix("suppressed=5") == true)
    }

    @Test("the Lambda relay writes the count of a flood of rejected notifications, at the latest when it stops")
    func lambdaWritesSummaries() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lambda-repeats-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let logPath = directory + "/relay.log"
        let descriptor = open(logPath, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        defer { close(descriptor) }
        let second = ContinuousClock.now
        let logger = Logger(minimumLevel: .debug, fileDescriptor: descriptor, repeats: RepeatedLines(now: { second }))
        let configuration = RelayConfiguration(listenPort: 0, dataDirectory: directory + "/data",
                                               webhookSecrets: [Secret(RelayHarness.secret)])
        let relay = try LambdaRelay(configuration: configuration, logger: logger)
        let body = Array(RelayHarness.notification().utf8)
        for _ in 1...12 {
            let request = HTTPRequest(method: "POST", target: "/webhook",
                                      headers: ["Preservica-Signature": WebhookVerifier.signature(body: body, secret: "not-the-secret")],
                                      body: body, peerAddress: "10.0.0.1:1")
            #expect(await relay.handle(request, deadlineMs: LambdaDeliveryProgress.nowMs() + 10_000).status == 401)
        }
        await relay.stop()
        let rejected = ((try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "")
            .split(separator: "\n").filter { $0.contains("msg=\"rejected notification\"") }
        #expect(rejected.count == 6, "5 lines and a count")
        #expect(rejected.last?.hasSuffix("suppressed=7") == true, "\(rejected.last ?? "")")
    }
}
