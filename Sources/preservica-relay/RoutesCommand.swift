import Foundation
import Preservica
import Relay

/// `preservica-relay routes --ref REF [--trigger T]`: which channels an asset would reach, and why.
enum RoutesCommand {
    static func run(_ arguments: [String]) async -> ExitCode {
        var options = CommandArguments(arguments)
        let ref: String
        let trigger: TriggerType
        let path: String
        do throws(UsageError) {
            if options.flag("help") { return Usage.printHelp("routes") }
            guard let given = try options.value("ref") else { throw UsageError("--ref REF is required") }
            ref = given
            let text = try options.value("trigger") ?? "ingest"
            guard let parsed = TriggerType(text: text) else { throw UsageError("unknown trigger \"\(text)\"") }
            trigger = parsed
            path = try options.value("config") ?? RelayConfiguration.defaultPath()
            try options.finish()
        } catch {
            Console.error(error.message)
            return .usage
        }
        guard let file = ConfigOption.load(path: path) else { return .usage }
        // The channels curators made in the console are routed as the running relay routes them.
        let configuration: RelayConfiguration
        switch ConsoleChannelFile(dataDirectory: file.dataDirectory).read() {
        case .success(let channels): configuration = file.adding(console: channels)
        case .failure(let problem):
            Console.error("routes: \(problem.message); the console's channels are left out")
            configuration = file
        }
        // The console's routes come first; the file's keep their numbers after them.
        let consoleRoutes = configuration.routes.count - file.routes.count
        guard let entities = ConfigOption.entities(configuration, for: "routes") else { return .usage }
        guard await PreservicaReachability.check(entities, for: "routes") else { return .failure }
        let asset = await entities.enrich(ref)
        if !asset.notFound && !asset.problems.isEmpty {
            // Routes match on the folder path and security tag: without them the answer would be a guess.
            Console.error("routes: \(ref) could not be read completely: \(TerminalText.field(asset.problems.joined(separator: "; ")))")
            return .failure
        }
        if asset.notFound { print("\(ref): not found in Preservica (routed on trigger and type only)") }
        let subject = RouteTable.Subject(trigger: trigger.rawValue, entityType: "IO", folderPath: asset.path.map(\.ref),
                                         securityTag: asset.asset?.securityTag ?? "", title: asset.asset?.title ?? "")
        print("\(TerminalText.field(ref))  \"\(TerminalText.field(subject.title))\"  folder: \(TerminalText.field(asset.path.map(\.title).joined(separator: " / ")))  "
            + "security: \(TerminalText.field(subject.securityTag))")
        let matches = RouteTable(routes: configuration.routes).match(subject)
        if matches.isEmpty { print("no route matches: nothing would be posted for \(trigger.rawValue)") }
        for match in matches {
            guard let channel = configuration.channels.first(where: { $0.name == match.channel }) else { continue }
            // As the relay decides at planning: the asset's tag, and for a channel held to folders
            // (a console channel) the tags of the folders above it too.
            let (verdict, reason) = channel.securityTags.decision(for: asset)
            let decision = switch verdict {
            case .show: ""
            case .redact: " (title hidden: \(TerminalText.field(reason)))"
            case .skip: " (skipped: \(TerminalText.field(reason)) is not allowed here)"
            }
            let by = match.route < consoleRoutes ? "its console route" : "routes[\(match.route - consoleRoutes)]"
            print("-> \(channel.name) (\(channel.type.rawValue), \(channel.host)) by \(by)\(decision)")
        }
        return .success
    }
}
