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
        print("\(path): OK (\(configuration.channels.count) channel(s), \(configuration.routes.count) route(s), "
            + (configuration.preservica == nil ? "no Preservica credentials: events will not be enriched" : "Preservica at \(configuration.preservica!.credentials.server)")
            + ")")
        return .success
    }
}
