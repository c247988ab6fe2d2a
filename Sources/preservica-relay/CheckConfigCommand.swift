import Foundation
import Relay

/// `preservica-relay check-config`: validate everything `serve` would, without starting.
enum CheckConfigCommand {
    static func run(_ arguments: [String]) -> ExitCode {
        var options = CommandArguments(arguments)
        let path: String
        do throws(UsageError) {
            if options.flag("help") { return Usage.printHelp("check-config") }
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
        print("\(path): OK (\(configuration.channels.count) channel(s), \(configuration.routes.count) route(s), "
            + (configuration.preservica == nil ? "no Preservica credentials: events will not be enriched" : "Preservica at \(configuration.preservica!.credentials.server)")
            + ")")
        return .success
    }
}
