import Foundation
import CardTemplates
import Relay

/// `preservica-relay check-config [--online]`: validate everything `serve` would, without starting.
enum CheckConfigCommand {
    static func run(_ arguments: [String]) async -> ExitCode {
        var options = CommandArguments(arguments)
        let path: String
        let online: Bool
        do throws(UsageError) {
            if options.flag("help") { return Usage.printHelp("check-config") }
            online = options.flag("online")
            path = try options.value("config") ?? RelayConfiguration.defaultPath()
            try options.finish()
        } catch {
            Console.error(error.message)
            return .usage
        }
        guard let configuration = ConfigOption.load(path: path) else { return .usage }
        for warning in configuration.warnings { print("\(path): warning: \(warning)") }
        let routed = Set(configuration.routes.flatMap(\.channels))
        for channel in configuration.channels where !routed.contains(channel.name) {
            print("\(path): warning: channels.\(channel.name): no route sends anything to this channel")
        }
        for channel in configuration.channels {
            for (kind, file) in channel.templates.sorted(by: { $0.key < $1.key }) {
                // The configuration has compiled each file already; a read failure here was reported there.
                guard let template = try? CardTemplate(contentsOfFile: file) else { continue }
                for line in TemplatePathWarnings.lines(for: template, name: "\(path): channels.\(channel.name).templates.\(kind) (\(file))") {
                    print(line)
                }
            }
        }
        // The console's channels are checked too; a damaged file is an error here, though `serve` runs without it.
        let console = ConsoleChannelFile(dataDirectory: configuration.dataDirectory)
        var consoleCount = 0
        switch console.read() {
        case .success(let channels):
            consoleCount = channels.count
            let merged = configuration.adding(console: channels)
            for warning in merged.warnings where !configuration.warnings.contains(warning) {
                print("\(console.path): warning: \(warning)")
            }
            let outbox = Outbox(dataDirectory: configuration.dataDirectory)
            for (channel, cards) in outbox.orphanedQueues(configured: Set(merged.channels.map(\.name))) {
                print("\(path): warning: \(outbox.outbox)/\(TerminalText.field(channel)): \(cards) card(s) wait for a channel that is not "
                      + "configured; nothing sends them until it is added back")
            }
        case .failure(let problem):
            print("\(problem.message)")
            print("\(console.path): the relay will run without the console's channels until this is repaired")
            return .failure
        }
        if configuration.console.enabled && configuration.preservica == nil {
            print("\(path): warning: console.enabled: nobody can sign in without Preservica credentials")
        }
        print("\(path): OK (\(configuration.channels.count) channel(s), \(configuration.routes.count) route(s), "
            + (consoleCount > 0 ? "\(consoleCount) console channel(s), " : "")
            + (configuration.preservica == nil ? "no Preservica credentials: events will not be enriched" : "Preservica at \(configuration.preservica!.credentials.server)")
            + ")")
        return online ? await checkOnline(configuration, path: path) : .success
    }

    /// Logs in to Preservica and resolves each channel's host; posts nothing. Exit 1 on a failure.
    private static func checkOnline(_ configuration: RelayConfiguration, path: String) async -> ExitCode {
        var failed = false
        if configuration.preservica != nil {
            guard let entities = ConfigOption.entities(configuration, for: "check-config --online") else { return .usage }
            if await PreservicaReachability.check(entities, for: "check-config --online") {
                print("\(path): online: Preservica at \(entities.connection.baseURL.host ?? "?"): logged in")
            } else {
                failed = true
            }
        }
        for channel in configuration.channels {
            // Only the host is shown: the rest of a webhook URL is its key.
            let host = channel.host
            if let problem = HostResolution.problem(host) {
                Console.error("check-config --online: channels.\(channel.name): host \(host) does not resolve: \(problem)")
                failed = true
            } else {
                print("\(path): online: channels.\(channel.name): host \(host) resolves (nothing posted)")
            }
        }
        return failed ? .failure : .success
    }
}
