import Foundation
import Preservica
import PreservicaSimulator
import Relay

/// `preservica-relay simulate preservica|send`: the Preservica simulator from the command line.
enum SimulateCommand {
    /// One mode's usage lines and what it does; `simulate MODE --help` prints only its own.
    private struct Mode {
        let usage: String
        let about: String
    }

    private static let preservicaMode = Mode(usage: """
        preservica-relay simulate preservica [--port N] [--host H] [--seed FILE] [--version 7.7]
                                             [--username U] [--password P] [--tenant T]
                                             [--token-lifetime 15m] [--latency 20ms] [--error-rate 0.1]
                                             [--outage 503] [--retry-after 30] [--role ROLE]...
        """, about: """
        simulate preservica  Serves a Preservica double (Access Token, Entity and Webhook APIs) on
                             loopback until SIGTERM or SIGINT. It prints its base URL and user once at
                             start, and the password when it generated one. --seed loads a JSON repository
                             (see docs/simulator.md); without it the built-in sample is served.
                             Durations read like 250ms, 10s, 5m. --outage answers every Access Token
                             and Entity API call with that status (Preservica down or throttling);
                             a 429 or 503 carries Retry-After: --retry-after seconds (default 1).
                             --role may repeat (default ROLE_SDB_MANAGER_USER).
                             Then it lists the folders and the assets (ref and title) it serves.
        """)

    private static let sendMode = Mode(usage: """
        preservica-relay simulate send --url URL --secret S --ref REF [--ref REF]...
                                       [--trigger FULL_TEXT_INDEXED] [--entity-type IO|SO]
                                       [--tenant T] [--version 7.7] [--content-length]
        """, about: """
        simulate send        Sends one signed notification (one event per --ref) exactly as Preservica
                             does, chunked unless --content-length, then prints the reply's status and
                             body. Exits 0 on a 2xx answer, else 1. Without --entity-type, a ref of a
                             sample folder is sent as SO (a folder-level failure or move), others as IO.
                             An alias (--trigger failed) is sent as its wire value (INGEST_FAILED); any
                             other value as given, with a warning.
        """)

    private static let chatMode = Mode(usage: """
        preservica-relay simulate chat [--port N] [--host H] [--service teams|slack|...|all]...
        """, about: """
        simulate chat        Runs the chat sinks on their own until SIGTERM or SIGINT (docs/chat-sinks.md):
                             prints one ready-to-paste URL per --service (teams, teams-connector, slack,
                             google-chat, discord, mattermost, matrix, webhook; default all), then each
                             card as it arrives: the service, status, size, first lines and the reply.
        """)

    /// The help of all three modes.
    static let help = help(of: [preservicaMode, sendMode, chatMode])

    /// The help of `simulate chat` alone.
    static let chatHelp = help(of: [chatMode])

    /// The help of one mode, by its name; nil for anything else.
    @Sendable static func help(ofMode name: String) -> String? {
        switch name {
        case "preservica": help(of: [preservicaMode])
        case "send": help(of: [sendMode])
        case "chat": chatHelp
        default: nil
        }
    }

    private static func help(of modes: [Mode]) -> String {
        let usage = modes.enumerated().map { index, mode in
            (index == 0 ? "Usage: " : "       ") + mode.usage.replacingOccurrences(of: "\n", with: "\n       ")
        }
        return (usage + [""] + modes.map(\.about)).joined(separator: "\n")
    }

    static func run(_ arguments: [String]) async -> ExitCode {
        var arguments = arguments
        guard !arguments.isEmpty else {
            Console.error("simulate needs a mode: preservica, send or chat")
            FileHandle.standardError.write(Data((help + "\n").utf8))
            return .usage
        }
        let mode = arguments.removeFirst()
        switch mode {
        case "preservica": return await serve(arguments)
        case "send": return await send(arguments)
        case "chat": return await SimulateChatCommand.run(arguments)
        case "--help", "-h", "help":
            print(help)
            return .success
        default:
            Console.error("simulate: unknown mode \"\(mode)\" (preservica, send or chat)")
            return .usage
        }
    }

    private static func serve(_ arguments: [String]) async -> ExitCode {
        var options = CommandArguments(arguments)
        if options.flag("help") { print(help(of: [preservicaMode])); return .success }
        var configuration = SimulatorConfiguration()
        let generatedPassword: Bool
        do throws(UsageError) {
            configuration.port = try port(options.value("port") ?? "0")
            configuration.host = try options.value("host") ?? configuration.host
            if let path = try options.value("seed") {
                do {
                    configuration.repository = try SimulatorRepository.load(path: path)
                } catch {
                    throw UsageError("--seed: \(error)")
                }
            }
            if let version = try options.value("version") {
                guard isVersion(version) else { throw UsageError("--version must look like 7.7, not \"\(version)\"") }
                configuration.version = version
            }
            configuration.username = try options.value("username") ?? configuration.username
            let password = try options.value("password")
            generatedPassword = password == nil
            configuration.password = password ?? configuration.password
            configuration.tenant = try options.value("tenant") ?? configuration.tenant
            if let text = try options.value("token-lifetime") {
                configuration.tokenLifetime = try duration(text, option: "token-lifetime", minimum: .seconds(1))
            }
            if let text = try options.value("latency") {
                configuration.faults.latency = try duration(text, option: "latency", minimum: .zero)
            }
            if let text = try options.value("error-rate") {
                guard let rate = Double(text), rate >= 0, rate <= 1 else { throw UsageError("--error-rate must be a number from 0 to 1") }
                configuration.faults.errorRate = rate
            }
            if let text = try options.value("outage") {
                guard let status = Int(text), (400...599).contains(status) else {
                    throw UsageError("--outage must be an HTTP error status from 400 to 599, such as 503 or 429")
                }
                configuration.faults.outageStatus = status
            }
            if let text = try options.value("retry-after") {
                guard let seconds = Int(text), (0...86_400).contains(seconds) else {
                    throw UsageError("--retry-after must be whole seconds from 0 to 86400")
                }
                configuration.faults.retryAfter = seconds
            }
            var roles: [String] = []
            while let role = try options.value("role") { roles.append(role) }
            if !roles.isEmpty { configuration.roles = roles }
            // The console's sign-in needs people: they share the main user's password on the command line.
            configuration.users = SimulatedUser.defaults(password: configuration.password)
            try options.finish()
        } catch {
            Console.error(error.message)
            return .usage
        }

        let signals = ProcessSignals.stream()
        let simulator = PreservicaSimulator(configuration: configuration)
        do {
            try simulator.start()
        } catch {
            Console.error("cannot start the simulator: \(error)")
            return .failure
        }
        var banner = "Preservica simulator \(configuration.version) listening on \(simulator.baseURL) (tenant \(configuration.tenant))\n"
        banner += "user \(configuration.username)"
        // A generated password is the only way to learn it; one given on the command line is not repeated.
        banner += generatedPassword ? ", password \(configuration.password)\n" : ", password as given\n"
        banner += "for the console, with the same password: curator (manages channels), archivist (administrator), "
            + "reader (no permitted role)\n"
        print(banner + SimulatorContents.listing(configuration.repository), terminator: "")
        var signal = "end"
        for await received in signals where received != "SIGHUP" {
            signal = received
            break
        }
        print("stopping (\(signal))")
        await simulator.stop()
        return .success
    }

    private static func send(_ arguments: [String]) async -> ExitCode {
        var options = CommandArguments(arguments)
        if options.flag("help") { print(help(of: [sendMode])); return .success }
        let url: URL
        let secret: String
        var refs: [String] = []
        let trigger: String
        let entityType: String?
        let tenant: String
        let version: String
        let chunked: Bool
        do throws(UsageError) {
            guard let text = try options.value("url") else { throw UsageError("--url is required") }
            guard let parsed = URL(string: text), ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""), parsed.host != nil else {
                throw UsageError("--url must be an absolute http or https URL")
            }
            url = parsed
            guard let given = try options.value("secret"), !given.isEmpty else { throw UsageError("--secret is required") }
            secret = given
            while let ref = try options.value("ref") { refs.append(ref) }
            guard !refs.isEmpty else { throw UsageError("--ref is required") }
            // Aliases become wire values, as `subscribe` maps them: Preservica never sends "failed".
            let triggerText = try options.value("trigger") ?? "FULL_TEXT_INDEXED"
            if let known = TriggerType(text: triggerText) {
                trigger = known.rawValue
            } else {
                // Sent as given, so the relay's handling of a value Preservica never sends can be tried.
                Console.error("warning: \"\(triggerText)\" is not a trigger Preservica sends (one of "
                    + TriggerType.allCases.map { "\($0.rawValue) (\($0.alias))" }.joined(separator: ", ") + "); sending it as given")
                trigger = triggerText
            }
            entityType = try options.value("entity-type")
            tenant = try options.value("tenant") ?? "DEMO"
            version = try options.value("version") ?? "7.7"
            chunked = !options.flag("content-length")
            try options.finish()
        } catch {
            Console.error(error.message)
            return .usage
        }
        do {
            let reply = try await NotificationSender.send(to: url, secret: secret, trigger: trigger, refs: refs,
                                                          entityType: entityType, tenant: tenant, version: version, chunked: chunked)
            print("\(reply.status) \(reply.body)")
            return (200..<300).contains(reply.status) ? .success : .failure
        } catch {
            Console.error("cannot send: \(error.localizedDescription)")
            return .failure
        }
    }

    private static func port(_ text: String) throws(UsageError) -> Int {
        guard let port = Int(text), (0...65535).contains(port) else { throw UsageError("--port must be a number from 0 to 65535") }
        return port
    }

    private static func duration(_ text: String, option: String, minimum: Duration) throws(UsageError) -> Duration {
        guard let duration = DurationText.parse(text), duration >= minimum else {
            throw UsageError("--\(option) must be a duration such as 250ms, 10s or 5m")
        }
        return duration
    }

    private static func isVersion(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return (2...3).contains(parts.count) && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isASCII) && Int($0) != nil }
    }
}
