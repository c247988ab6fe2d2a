import Foundation
import CardTemplates
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
        for channel in configuration.channels {
            for (kind, file) in channel.templates.sorted(by: { $0.key < $1.key }) {
                // The configuration has compiled each file already; a read failure here was reported there.
                guard let template = try? CardTemplate(contentsOfFile: file) else { continue }
                for line in TemplatePathWarnings.lines(for: template, name: "\(path): channels.\(channel.name).templates.\(kind) (\(file))") {
                    print(line)
                }
            }
        }
        print("\(path): OK (\(configuration.channels.count) channel(s), \(configuration.routes.count) route(s), "
            + (configuration.preservica == nil ? "no Preservica credentials: events will not be enriched" : "Preservica at \(configuration.preservica!.credentials.server)")
            + ")")
        return .success
    }
}
