import Testing
import Foundation
import PreservicaSimulator
import TestSupport

/// Commands that answer from Preservica or the spool say when they cannot, with the exit code
/// README.md documents, instead of printing a confident answer.
@Suite("Honest exits")
struct HonestExitTests {
    typealias Refs = SimulatorRepository.SampleRefs
    private let directory: String

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("honest-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    private func writeConfig(server: String, channels: String = "{}") throws {
        try """
        { dataDir: "data", webhook: { secrets: ["s"] },
          preservica: { server: "\(server)", username: "admin", password: "${PRESERVICA_PASSWORD}", tenant: "DEMO",
                        retries: 0, timeout: "5s" },
          channels: \(channels) }
        """.write(toFile: directory + "/relay.json5", atomically: true, encoding: .utf8)
    }

    private func run(_ arguments: [String], password: String = "pw") async throws -> (Int32, RelayProcess) {
        let process = try RelayProcess(arguments + ["--config", "relay.json5"], environment: ["PRESERVICA_PASSWORD": password], directory: directory)
        return (try await process.exitCode(), process)
    }

    @Test("routes and preview refuse to answer when the password is wrong, and never print it")
    func wrongPassword() async throws {
        let simulator = PreservicaSimulator(configuration: SimulatorConfiguration(password: "pw"))
        try simulator.start()
        try writeConfig(server: simulator.baseURL)
        for command in ["routes", "preview"] {
            let (code, process) = try await run([command, "--ref", Refs.letterAsset], password: "not-the-password")
            #expect(code == 1, "\(command): \(process.stderr)")
            #expect(process.stderr.contains("\(command): Preservica refused the login"))
            #expect(process.stdout.isEmpty)
            #expect(!process.stderr.contains("not-the-password"))
        }
        let (code, process) = try await run(["routes", "--ref", Refs.letterAsset])
        #expect(code == 0, "\(process.stderr)")
        await simulator.stop()
    }

    @Test("routes and preview say Preservica cannot be reached, and exit 1")
    func unreachable() async throws {
        // A port held without listening: refused, and no other test's server can take it meanwhile.
        try await RefusingPort.with { port in
            try writeConfig(server: "http://127.0.0.1:\(port)")
            for command in ["routes", "preview"] {
                let (code, process) = try await run([command, "--ref", Refs.letterAsset])
                #expect(code == 1, "\(command): \(process.stderr)")
                #expect(process.stderr.contains("cannot reach Preservica"))
                #expect(!process.stdout.contains("no route matches") && !process.stdout.contains("payload:"))
            }
        }
    }

    @Test("check-config --online logs in and resolves each channel's host without posting; a bad host exits 1")
    func online() async throws {
        let simulator = PreservicaSimulator(configuration: SimulatorConfiguration(password: "pw"))
        try simulator.start()
        let sink = ChatSink()
        try sink.start()
        try writeConfig(server: simulator.baseURL, channels: """
            { curators: { type: "slack", url: "\(sink.slackURL())" }, gone: { type: "slack", url: "https://nosuch.invalid/services/T1/B1/key" } }
            """)
        let (code, process) = try await run(["check-config", "--online"])
        #expect(code == 1, "\(process.stderr)")
        #expect(process.stdout.contains("Preservica at 127.0.0.1: logged in"))
        #expect(process.stdout.contains("channels.curators: host 127.0.0.1 resolves"))
        #expect(process.stderr.contains("channels.gone: host nosuch.invalid does not resolve"))
        #expect(!process.stdout.contains("/services/") && !process.stderr.contains("/services/"))
        #expect(sink.received.isEmpty)

        let offline = try await run(["check-config"])
        #expect(offline.0 == 0, "\(offline.1.stderr)")
        #expect(!offline.1.stdout.contains("online"))
        await sink.stop()
        await simulator.stop()
    }

    @Test("replay --channel with a name that is not a channel exits 2 naming the channels there are")
    func replayUnknownChannel() async throws {
        try writeConfig(server: "http://127.0.0.1:9", channels: #"{ curators: { type: "slack", url: "https://hooks.slack.com/services/T/B/k" } }"#)
        let (code, process) = try await run(["replay", "--channel", "nosuch"])
        #expect(code == 2)
        #expect(process.stderr.contains("there is no channel \"nosuch\"") && process.stderr.contains("channels: curators"))
        // A relay that has run has its spool.
        try FileManager.default.createDirectory(atPath: directory + "/data", withIntermediateDirectories: true)
        let (known, good) = try await run(["replay", "--channel", "curators"])
        #expect(known == 0, "\(good.stderr)")
        #expect(good.stdout.contains("No dead letters to replay."))
    }
}
