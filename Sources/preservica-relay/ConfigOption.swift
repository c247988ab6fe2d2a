import Foundation
import Preservica
import Relay

/// The `--config FILE` option shared by the commands that read the configuration.
enum ConfigOption {
    /// Loads the file named by `--config` (or the default); on failure prints every problem and
    /// returns nil, so the command exits 2.
    static func load(path: String) -> RelayConfiguration? {
        do {
            return try RelayConfiguration.load(path: path)
        } catch {
            FileHandle.standardError.write(Data((TerminalText.lines(error.description) + "\n").utf8))
            return nil
        }
    }

    /// For commands whose only option is `--config`: handles `--help`, reads the option and loads
    /// the file. Nil after printing help or the problems; `exit` says with which code.
    static func loadOnly(_ arguments: [String], help: String) -> Result<RelayConfiguration, ExitCode> {
        var options = CommandArguments(arguments)
        let path: String
        do throws(UsageError) {
            if options.flag("help") { return .failure(Usage.printHelp(help)) }
            path = try options.value("config") ?? RelayConfiguration.defaultPath()
            try options.finish()
        } catch {
            Console.error(error.message)
            return .failure(.usage)
        }
        guard let configuration = load(path: path) else { return .failure(.usage) }
        return .success(configuration)
    }

    /// An Entity API client from the configuration's Preservica settings; nil after saying why
    /// (`command` needs them).
    static func entities(_ configuration: RelayConfiguration, for command: String) -> EntityClient? {
        guard let settings = configuration.preservica else {
            Console.error("\(command) needs Preservica credentials (the preservica block, PRESERVICA_* variables or credentials.properties)")
            return nil
        }
        do {
            return try settings.entityClient()
        } catch {
            Console.error("\(error)")
            return nil
        }
    }
}
