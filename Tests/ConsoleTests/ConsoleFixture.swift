import Console
import Foundation
import Preservica
import PreservicaSimulator
import ChatTargets
import Relay
import TestSupport

/// A relay with the console on a loopback port, signing people in against a real simulator and
/// posting to a chat sink; its data directory is removed by ``stop()``.
final class ConsoleFixture: @unchecked Sendable {
    static let password = "pale-moon-4821"
    static let secret = "console-test-secret"
    typealias Refs = SimulatorRepository.SampleRefs

    let simulator: PreservicaSimulator
    let sink = ChatSink()
    let clock = ManualClock()
    let directory: String
    let logPath: String
    private(set) var service: RelayService!
    private(set) var console: ConsoleApp!
    private(set) var port = 0
    /// The console's own port, when `console.listen` gives it one.
    private(set) var consolePort: Int?
    private var logDescriptor: Int32 = -1

    /// What a signed-in client holds.
    struct Session {
        var cookie: String
        var csrf: String
    }

    /// Starts everything. `prepare` may write into the data directory first; `configure` may change
    /// the configuration (it has one file channel, `ops`, that takes nothing).
    init(limiter: ((ConsoleClock) -> SignInLimiter)? = nil, changes: ((ConsoleClock) -> ChangeLimiter)? = nil,
         users: [SimulatedUser] = [], latency: Duration = .zero,
         prepare: (String) throws -> Void = { _ in }, configure: (inout RelayConfiguration) -> Void = { _ in }) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("console-test-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory + "/data", withIntermediateDirectories: true)
        logPath = directory + "/relay.log"
        simulator = PreservicaSimulator(configuration: SimulatorConfiguration(password: Self.password,
                                                                              users: SimulatedUser.defaults(password: Self.password) + users,
                                                                              faults: SimulatorFaults(latency: latency)))
        try simulator.start()
        try sink.start()
        try prepare(directory + "/data")
        var configuration = RelayConfiguration(listenPort: 0, dataDirectory: directory + "/data", webhookSecrets: [Secret(Self.secret)])
        configuration.preservica = PreservicaSettings(credentials: PreservicaCredentials(
            server: simulator.baseURL, username: simulator.configuration.username, password: Self.password,
            tenant: simulator.configuration.tenant), timeout: .seconds(10), retries: 0)
        configuration.channels = [ChannelSettings(name: "ops", type: .slack, url: Secret(sink.slackURL(channel: "ops")))]
        configuration.console.enabled = true
        configuration.console.allowInsecureHTTP = true
        // The chat sink listens on loopback.
        configuration.console.allowPrivateChannelURLs = true
        configure(&configuration)
        logDescriptor = open(logPath, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        let logger = Logger(minimumLevel: .debug, fileDescriptor: logDescriptor)
        service = try RelayService(configuration: configuration, logger: logger)
        console = ConsoleApp(service: service, logger: logger, clock: clock.clock, limiter: limiter?(clock.clock), changes: changes?(clock.clock))
        consolePort = try service.mountConsole(console)
        port = try service.start()
    }

    /// Stops everything and removes the data directory.
    func stop() async {
        // Together: each waits up to its grace period for idle keep-alive connections.
        async let relay: Void = service?.stop(gracePeriod: .seconds(2)) ?? ()
        async let sink: Void = self.sink.stop()
        async let simulator: Void = self.simulator.stop()
        _ = await (relay, sink, simulator)
        if logDescriptor >= 0 { close(logDescriptor) }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Runs `body` with a started fixture and stops it afterwards, whether `body` threw or not.
    static func with(limiter: ((ConsoleClock) -> SignInLimiter)? = nil, changes: ((ConsoleClock) -> ChangeLimiter)? = nil,
                     users: [SimulatedUser] = [], latency: Duration = .zero,
                     prepare: (String) throws -> Void = { _ in }, configure: (inout RelayConfiguration) -> Void = { _ in },
                     _ body: (ConsoleFixture) async throws -> Void) async throws {
        let fixture = try ConsoleFixture(limiter: limiter, changes: changes, users: users, latency: latency, prepare: prepare, configure: configure)
        do {
            try await body(fixture)
        } catch {
            await fixture.stop()
            throw error
        }
        await fixture.stop()
    }

    /// One HTTP request over loopback, on a connection of its own.
    /// Console paths go to the console's own port when it has one, unless `port` says otherwise.
    func request(_ method: String, _ path: String, body: String? = nil, session: Session? = nil, csrf: String? = nil,
                 headers: [String: String] = [:], port chosen: Int? = nil) async throws -> RawHTTPClient.Response {
        let target = chosen ?? (path.hasPrefix("/console") ? consolePort ?? port : port)
        let client = try RawHTTPClient(port: target, timeout: 30)
        let bytes = Array((body ?? "").utf8)
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\nContent-Length: \(bytes.count)\r\n"
        if body != nil { head += "Content-Type: application/json\r\n" }
        if let session { head += "Cookie: \(session.cookie)\r\n" }
        if let token = csrf ?? session?.csrf, method != "GET" { head += "X-CSRF-Token: \(token)\r\n" }
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        try await client.send(Array((head + "\r\n").utf8) + bytes)
        return try await client.readResponse()
    }

    /// Signs `user` in with the shared test password.
    func signIn(_ user: String = "curator", password: String = ConsoleFixture.password) async throws -> Session {
        let response = try await request("POST", "/console/api/session", body: #"{"username":"\#(user)","password":"\#(password)"}"#)
        guard response.status == 200, let cookie = response.headers["set-cookie"]?.split(separator: ";").first,
              let csrf = response.json["csrfToken"] as? String else {
            throw FixtureError(description: "sign-in of \(user) answered \(response.status): \(response.bodyText)")
        }
        return Session(cookie: String(cookie), csrf: csrf)
    }

    /// A Teams channel body for the API.
    func teamsChannel(_ name: String, triggers: [String] = ["failed"], folder: String? = Refs.letters, extra: String = "") -> String {
        let folderText = folder.map { #","folder":"\#($0)","folderTitle":"Letters""# } ?? ""
        let list = triggers.map { "\"\($0)\"" }.joined(separator: ",")
        return #"{"name":"\#(name)","type":"teams","url":"\#(sink.teamsWorkflowURL(name: name))","triggers":[\#(list)]\#(folderText)\#(extra)}"#
    }

    /// Sends a signed notification to the relay, as Preservica would.
    func notify(_ trigger: String, _ ref: String) async throws -> Int {
        try await NotificationSender.send(to: URL(string: "http://127.0.0.1:\(port)/webhook")!, secret: Self.secret,
                                          trigger: trigger, refs: [ref]).status
    }

    /// The audit log's lines.
    var auditLines: [String] {
        ((try? String(contentsOfFile: directory + "/data/audit.log", encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    /// Waits until the audit log has a line containing every one of `needles`; false after `timeout`.
    func waitForAudit(_ needles: [String], count: Int = 1, timeout: Duration = .seconds(60)) async -> Bool {
        await eventually(timeout: timeout) { auditLines.filter { line in needles.allSatisfy(line.contains) }.count >= count }
    }

    /// The relay's log so far.
    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }
}

/// A fixture step that did not go as a test needs.
struct FixtureError: Error, CustomStringConvertible {
    var description: String
}
