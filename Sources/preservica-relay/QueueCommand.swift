import Foundation
import Relay

/// `preservica-relay queue`: counts in incoming/, outbox/ and dead/.
enum QueueCommand {
    static func run(_ arguments: [String]) -> ExitCode {
        var options = CommandArguments(arguments)
        let path: String
        do throws(UsageError) {
            if options.flag("help") { return Usage.printHelp("queue") }
            path = try options.value("config") ?? RelayConfiguration.defaultPath()
            try options.finish()
        } catch {
            Console.error(error.message)
            return .usage
        }
        guard let configuration = ConfigOption.load(path: path) else { return .usage }
        let counts = SpoolCounts.read(dataDirectory: configuration.dataDirectory)
        print("incoming \(counts.incoming)")
        print("outbox   \(counts.outbox)")
        print("dead     \(counts.dead)")
        return .success
    }
}
