import Foundation
import Relay

/// `preservica-relay check-config`: validate everything `serve` would, without starting.
enum CheckConfigCommand {
    static func run(_ arguments: [String]) -> ExitCode {
        let configuration: RelayConfiguration
        switch ConfigOption.loadOnly(arguments, help: "check-config") {
        case .success(let loaded): configuration = loaded
        case .failure(let code): return code
        }
        let path = CommandArguments.configPath(arguments)
        for warning in configuration.warnings { print("\(path): warning: \(warning)") }
        let routed = Set(configuration.routes.flatMap(\.channels))
        for channel in configuration.channels where !routed.contains(channel.name) {
            print("\(path): warning: channels.\(channel.name): no route sends anything to this channel")
        }
        // The console's channels are checked too; a damaged file is an error here, though `serve` runs without it.
        let console = ConsoleChannelFile(dataDirectory: configuration.dataDirectory)
        var consoleCount = 0
        switch console.read() {
        case .success(let channels):
            consoleCount = channels.count
            for warning in configuration.adding(console: channels).warnings where !configuration.warnings.contains(warning) {
                print("\(console.path): warning: \(warning)")
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
        return .success
    }
}
