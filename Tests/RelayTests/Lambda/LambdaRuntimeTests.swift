import Testing
import Foundation
import JSON
import Preservica
import PreservicaSimulator
import Relay

/// `preservica-relay lambda` run as a process against a Runtime API emulator, as AWS Lambda runs
/// the `bootstrap` executable: events in through `invocation/next`, answers out through `response`.
@Suite("preservica-relay lambda as a custom runtime")
struct LambdaRuntimeTests {
    typealias Refs = SimulatorRepository.SampleRefs
    private let directory: String
    private let environment = ["PRESERVICA_WEBHOOK_SECRET": RelayHarness.secret]

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("relay-lambda-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    /// A configuration with the spool in the test's directory (Lambda's default is /tmp/preservica-relay).
    private func writeConfig(_ extra: String = "") throws {
        let text = #"{ dataDir: "\#(directory)/data", webhook: { secrets: ["${PRESERVICA_WEBHOOK_SECRET}"] }, \#(extra) }"#
        try text.write(toFile: directory + "/relay.json5", atomically: true, encoding: .utf8)
    }

    private func startLambda(_ emulator: RuntimeAPIEmulator, environment extra: [String: String] = [:]) throws -> RelayProcess {
        try RelayProcess(["lambda", "--config", "relay.json5"],
                         environment: environment.merging(extra) { $1 }.merging(["AWS_LAMBDA_RUNTIME_API": emulator.address]) { $1 },
                         directory: directory)
    }

    private func finish(_ relay: RelayProcess, _ emulator: RuntimeAPIEmulator) async throws {
        relay.send(SIGKILL)
        _ = try await relay.exitCode()
        await emulator.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func signedEvent(_ body: String, secret: String = RelayHarness.secret, base64: Bool = false) -> String {
        let signature = WebhookVerifier.signature(body: Array(body.utf8), secret: secret)
        return FunctionURLEvent(headers: [("Content-Type", "application/json"), ("Preservica-Signature", signature)],
                                body: body, base64: base64).json
    }

    @Test("a subscription handshake is answered with the HMAC of the challenge code, also behind a stage prefix")
    func handshake() async throws {
        try writeConfig()
        let emulator = try RuntimeAPIEmulator()
        let relay = try startLambda(emulator)

        let id = emulator.invoke(FunctionURLEvent(rawQueryString: "challengeCode=3d5e1a2b-challenge-code").json)
        let answer = try #require(await emulator.result(for: id), "stderr: \(relay.stderr)")
        #expect(answer.kind == .response)
        #expect(answer.statusCode == 200)
        #expect(answer.json?["isBase64Encoded"] == .bool(false))
        #expect(answer.json?["headers"]?.objectValue?["content-type"] == .string("application/json"))
        #expect(answer.responseBody?["challengeCode"] == .string("3d5e1a2b-challenge-code"))
        #expect(answer.responseBody?["challengeResponse"]
            == .string("bec76516293689fb033aec7858515880f7a949890d73a45e4029b0fc5f43ef86"))

        let staged = emulator.invoke(FunctionURLEvent(rawPath: "/default/webhook", rawQueryString: "challengeCode=3d5e1a2b-challenge-code").json)
        #expect(try #require(await emulator.result(for: staged)).responseBody?["challengeResponse"]
            == .string("bec76516293689fb033aec7858515880f7a949890d73a45e4029b0fc5f43ef86"))

        let health = emulator.invoke(FunctionURLEvent(method: "GET", rawPath: "/healthz").json)
        let healthy = try #require(await emulator.result(for: health))
        #expect(healthy.statusCode == 200)
        #expect(healthy.responseBody?["status"] == .string("ok"))

        let elsewhere = emulator.invoke(FunctionURLEvent(method: "GET", rawPath: "/admin").json)
        #expect(try #require(await emulator.result(for: elsewhere)).statusCode == 404)
        #expect(!relay.stderr.contains(RelayHarness.secret))
        try await finish(relay, emulator)
    }

    /// The simulator for enrichment, a chat sink, and a configuration sending every asset to `channel` there.
    private func startServices(channel: (ChatSink) -> String) throws -> (PreservicaSimulator, ChatSink) {
        let simulator = PreservicaSimulator(configuration: SimulatorConfiguration(password: "s1mulator-pa55word"))
        try simulator.start()
        let sink = ChatSink()
        try sink.start()
        try writeConfig(#"""
            preservica: { server: "\#(simulator.baseURL)", username: "admin", password: "${PRESERVICA_PASSWORD}", tenant: "DEMO",
                          timeout: "5s", retries: 1 },
            channels: { curators: \#(channel(sink)) },
            routes: [{ channels: ["curators"] }],
            """#)
        return (simulator, sink)
    }

    @Test("a signed base64 notification is spooled, enriched and its card delivered before the 200 is posted")
    func notificationDelivered() async throws {
        let (simulator, sink) = try startServices { #"{ type: "teams", url: "\#($0.teamsWorkflowURL())" }"# }
        let emulator = try RuntimeAPIEmulator()
        let relay = try startLambda(emulator, environment: ["PRESERVICA_PASSWORD": "s1mulator-pa55word"])

        let body = RelayHarness.notification(entityRef: Refs.letterAsset)
        let event = signedEvent(body, base64: true)
        let id = emulator.invoke(event)
        let answer = try #require(await emulator.result(for: id), "stderr: \(relay.stderr)")
        // Taken the moment the answer is posted: the card must already be at the chat service.
        let deliveredBeforeAnswer = sink.delivered
        #expect(answer.kind == .response)
        #expect(answer.statusCode == 200)
        #expect(answer.responseBody?["accepted"] == .number(1))
        #expect(deliveredBeforeAnswer.count == 1)
        let card = String(decoding: deliveredBeforeAnswer.first?.body ?? [], as: UTF8.self)
        #expect(card.contains("Bjørnson: brev til Åse, 1884"))
        #expect(Outbox(dataDirectory: directory + "/data").pending(channel: "curators").isEmpty)
        let records = IncomingJournal.readRecords(directory: directory + "/data/incoming")
        #expect(records.map { String(decoding: $0.body, as: UTF8.self) } == [body])

        // Lambda delivers at least once: the same notification again is recognised, not posted twice.
        let again = emulator.invoke(event)
        let repeated = try #require(await emulator.result(for: again))
        #expect(repeated.statusCode == 200)
        #expect(repeated.responseBody?["duplicate"] == .bool(true))
        #expect(sink.received.count == 1)
        #expect(!relay.stderr.contains(RelayHarness.secret))
        #expect(!relay.stderr.contains("s1mulator-pa55word"))

        try await finish(relay, emulator)
        await sink.stop()
        await simulator.stop()
    }

    @Test("a card the service defers stays in the spool without holding the 200, and goes out in the next invocation")
    func deferredCard() async throws {
        let (simulator, sink) = try startServices { #"{ type: "mattermost", url: "\#($0.mattermostURL())" }"# }
        sink.script(.mattermost, replies: [.serverError(503, retryAfter: 30)])
        let emulator = try RuntimeAPIEmulator()
        let relay = try startLambda(emulator, environment: ["PRESERVICA_PASSWORD": "s1mulator-pa55word"])

        // The service asks for 30 s, beyond this invocation's deadline: waiting for it would be useless.
        let first = emulator.invoke(signedEvent(RelayHarness.notification(entityRef: Refs.letterAsset)), deadline: .seconds(10))
        #expect(try #require(await emulator.result(for: first)).statusCode == 200)
        #expect(sink.received.map(\.status) == [503])
        let outbox = Outbox(dataDirectory: directory + "/data")
        var waiting = try #require(outbox.pending(channel: "curators").first)
        #expect(waiting.attempts == 1)

        // As if the Retry-After passed while the environment was frozen between invocations.
        waiting.nextAttemptAt = 0
        try outbox.save(waiting)
        let second = emulator.invoke(signedEvent(RelayHarness.notification(entityRef: Refs.tokyoMapAsset)))
        #expect(try #require(await emulator.result(for: second)).statusCode == 200)
        let delivered = sink.received
        #expect(delivered.map(\.status) == [503, 200, 200])
        #expect(delivered.count == 3 && String(decoding: delivered[1].body, as: UTF8.self).contains("Bjørnson: brev til Åse, 1884"))
        #expect(outbox.pending(channel: "curators").isEmpty)

        try await finish(relay, emulator)
        await sink.stop()
        await simulator.stop()
    }

    @Test("a wrong or missing signature is answered 401 and nothing is spooled; a signed non-notification 400")
    func rejected() async throws {
        try writeConfig()
        let emulator = try RuntimeAPIEmulator()
        let relay = try startLambda(emulator)
        let body = RelayHarness.notification()

        let forged = emulator.invoke(signedEvent(body, secret: "not-the-secret", base64: true))
        let refused = try #require(await emulator.result(for: forged))
        #expect(refused.kind == .response)
        #expect(refused.statusCode == 401)
        #expect(refused.responseBody?["error"]?.stringValue?.contains("does not match") == true)

        let unsigned = emulator.invoke(FunctionURLEvent(headers: [("Content-Type", "application/json")], body: body).json)
        #expect(try #require(await emulator.result(for: unsigned)).statusCode == 401)

        let notANotification = emulator.invoke(signedEvent(#"{"hello":"world"}"#))
        #expect(try #require(await emulator.result(for: notANotification)).statusCode == 400)

        #expect(IncomingJournal.readRecords(directory: directory + "/data/incoming").isEmpty)
        try await finish(relay, emulator)
    }

    @Test("an event that is not an HTTP request is reported as an invocation error and the loop goes on")
    func notHTTP() async throws {
        try writeConfig()
        let emulator = try RuntimeAPIEmulator()
        let relay = try startLambda(emulator)

        let id = emulator.invoke(#"{"Records":[{"eventSource":"aws:sqs"}]}"#)
        let failed = try #require(await emulator.result(for: id))
        #expect(failed.kind == .error)
        #expect(failed.errorType == "Relay.UnsupportedEvent")
        #expect(failed.json?["errorMessage"]?.stringValue?.contains("rawPath") == true)
        #expect(failed.json?["stackTrace"] == .array([]))

        let health = emulator.invoke(FunctionURLEvent(method: "GET", rawPath: "/healthz").json)
        #expect(try #require(await emulator.result(for: health)).statusCode == 200)
        try await finish(relay, emulator)
    }

    @Test("a broken configuration is posted to init/error and the process exits 2, as serve does")
    func brokenConfig() async throws {
        try #"{ webhook: { secrets: ["${UNSET_SECRET_VAR}"] }, extra: 1 }"#.write(toFile: directory + "/relay.json5", atomically: true, encoding: .utf8)
        let emulator = try RuntimeAPIEmulator()
        let relay = try startLambda(emulator)

        #expect(try await relay.exitCode() == 2)
        let report = try #require(await emulator.initError())
        #expect(report.errorType == "Runtime.ConfigurationError")
        #expect(report.json?["errorType"] == .string("Runtime.ConfigurationError"))
        let message = report.json?["errorMessage"]?.stringValue ?? ""
        #expect(message.contains("webhook.secrets[0]: environment variable UNSET_SECRET_VAR is not set"))
        #expect(message.contains("extra: unknown key"))
        #expect(report.json?["stackTrace"] == .array([]))
        #expect(emulator.posts.count == 1)
        try await finish(relay, emulator)
    }
}
