import TestSupport
import Testing
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import PreservicaSimulator

/// `simulate chat` and `simulate preservica`: the two stand-ins a newcomer runs instead of Teams
/// and Preservica.
@Suite("Stand-in commands")
struct StandInCommandTests {
    typealias Refs = SimulatorRepository.SampleRefs
    private let directory: String

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("standin-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    private func waitFor(_ text: String, in process: RelayProcess) async throws {
        // Stop waiting as soon as the text is there or the process has ended without printing it.
        _ = await eventually(timeout: .seconds(60)) { process.stdout.contains(text) || !process.process.isRunning }
        guard process.stdout.contains(text) else {
            throw RelayProcess.Failure(description: "never printed \(text): \(process.stdout)\(process.stderr)")
        }
    }

    @Test("simulate chat prints a URL per chosen service and each card as it arrives: title, size and reply")
    func chat() async throws {
        let chat = try RelayProcess(["simulate", "chat", "--port", "0", "--service", "slack,discord"], directory: directory)
        // It runs until stopped, so its first lines reach a file only because output is line-buffered.
        try await waitFor("Each card is printed as it arrives", in: chat)
        let lines = chat.stdout.split(separator: "\n").map(String.init)
        #expect(!lines.contains { $0.hasPrefix("  teams ") })
        let slack = try #require(lines.first { $0.hasPrefix("  slack ") }?.split(separator: " ").last.map(String.init))
        #expect(lines.contains { $0.hasPrefix("  discord ") && $0.contains("/api/webhooks/") })

        var request = URLRequest(url: try #require(URL(string: slack)))
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        let body = #"{"text":"Ingested: Brev til Åse","blocks":[{"type":"section","text":{"type":"mrkdwn","text":"4 pages"}}]}"#
        request.httpBody = Data(body.utf8)
        let (_, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        try await waitFor("reply: ok", in: chat)
        #expect(chat.stdout.contains("slack: HTTP 200 delivered, \(body.utf8.count) bytes"))
        #expect(chat.stdout.contains("    Ingested: Brev til Åse | 4 pages"))

        request.httpBody = Data("{}".utf8)
        _ = try await URLSession.shared.data(for: request)
        try await waitFor("reply: no_text", in: chat)
        #expect(chat.stdout.contains("slack: HTTP 400 rejected"))
        chat.send(SIGTERM)
        #expect(try await chat.exitCode() == 0)
    }

    @Test("simulate chat refuses a service it does not know, naming the ones it does")
    func unknownService() async throws {
        let chat = try RelayProcess(["simulate", "chat", "--service", "telegram"], directory: directory)
        #expect(try await chat.exitCode() == 2)
        #expect(chat.stderr.contains("no chat service \"telegram\"") && chat.stderr.contains("google-chat"))
    }

    @Test("simulate preservica lists the folders and the assets it serves, with their refs")
    func preservica() async throws {
        let simulator = try RelayProcess(["simulate", "preservica", "--port", "0", "--password", "pw"], directory: directory)
        try await waitFor("assets:", in: simulator)
        try await waitFor(Refs.physicalAsset, in: simulator)
        #expect(simulator.stdout.contains("\(Refs.letterAsset)  Bjørnson: brev til Åse, 1884  (in Bjørnson family papers)"))
        #expect(simulator.stdout.contains("\(Refs.letters)    Letters & Correspondence"))
        simulator.send(SIGTERM)
        #expect(try await simulator.exitCode() == 0)
    }

    @Test("simulate preservica and simulate chat print titles from a seed and from cards with their control characters escaped")
    func hostileText() async throws {
        // A seed is the operator's own file, but its titles often come from an export of a real
        // repository; a card's text comes from Preservica through the relay.
        let seed = directory + "/seed.json"
        try #"""
        { "folders": [ { "ref": "0f1e2d3c-4b5a-4697-8877-665544332211", "title": "Maps\u001b]0;owned\u0007" } ],
          "assets": [ { "ref": "a1b2c3d4-e5f6-4789-8abc-def012345678", "title": "Kart\u009b2J\u202etxt.exe",
                        "parent": "0f1e2d3c-4b5a-4697-8877-665544332211" } ] }
        """#.write(toFile: seed, atomically: true, encoding: .utf8)
        let simulator = try RelayProcess(["simulate", "preservica", "--port", "0", "--password", "pw", "--seed", seed], directory: directory)
        defer { if simulator.process.isRunning { simulator.send(SIGKILL) } }
        try await waitFor("assets:", in: simulator)
        try await waitFor("a1b2c3d4-e5f6-4789-8abc-def012345678", in: simulator)
        #expect(simulator.stdout.contains(#"Maps\x1B]0;owned\x07"#), "\(simulator.stdout.debugDescription)")
        #expect(simulator.stdout.contains(#"Kart\x9B2J\u{202E}txt.exe"#), "\(simulator.stdout.debugDescription)")
        #expect(!simulator.stdout.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{9B}" || $0 == "\u{202E}" })
        simulator.send(SIGTERM)
        #expect(try await simulator.exitCode() == 0)

        let chat = try RelayProcess(["simulate", "chat", "--port", "0", "--service", "slack"], directory: directory)
        defer { if chat.process.isRunning { chat.send(SIGKILL) } }
        try await waitFor("Each card is printed as it arrives", in: chat)
        let slack = try #require(chat.stdout.split(separator: "\n").first { $0.hasPrefix("  slack ") }?.split(separator: " ").last.map(String.init))
        var request = URLRequest(url: try #require(URL(string: slack)))
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(#"{"text":"Ingested: Kart\u001b[2J\u202etxt.exe"}"#.utf8)
        _ = try await URLSession.shared.data(for: request)
        try await waitFor("reply: ok", in: chat)
        #expect(chat.stdout.contains(#"    Ingested: Kart\x1B[2J\u{202E}txt.exe"#), "\(chat.stdout.debugDescription)")
        #expect(!chat.stdout.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{202E}" })
        chat.send(SIGTERM)
        #expect(try await chat.exitCode() == 0)
    }

    @Test("simulate preservica --outage 429 --retry-after 600 throttles every call for ten minutes; bad values are usage errors")
    func outage() async throws {
        let simulator = try RelayProcess(["simulate", "preservica", "--port", "0", "--password", "pw", "--outage", "429", "--retry-after", "600"],
                                         directory: directory)
        // Stopped however the test ends.
        defer { if simulator.process.isRunning { simulator.send(SIGKILL) } }
        try await waitFor("assets:", in: simulator)
        let base = try #require(simulator.stdout.split(separator: " ").first { $0.hasPrefix("http://") })
        var login = URLRequest(url: URL(string: base + "/api/accesstoken/login")!)
        login.httpMethod = "POST"
        login.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        login.httpBody = Data("username=admin&password=pw&tenant=DEMO".utf8)
        let (_, response) = try await URLSession.shared.data(for: login)
        let reply = try #require(response as? HTTPURLResponse)
        #expect(reply.statusCode == 429)
        #expect(reply.value(forHTTPHeaderField: "Retry-After") == "600")
        simulator.send(SIGTERM)
        #expect(try await simulator.exitCode() == 0)

        for bad in [["--outage", "200"], ["--outage", "soon"], ["--retry-after", "-1"]] {
            let refused = try RelayProcess(["simulate", "preservica", "--port", "0"] + bad, directory: directory)
            #expect(try await refused.exitCode() == 2)
            #expect(refused.stderr.contains(bad[0]), "\(refused.stderr)")
        }
    }
}
