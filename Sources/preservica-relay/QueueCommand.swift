import Foundation
import Relay

/// `preservica-relay queue`: counts in incoming/, outbox/, dead/ and refused/.
enum QueueCommand {
    static func run(_ arguments: [String]) -> ExitCode {
        let configuration: RelayConfiguration
        switch ConfigOption.loadOnly(arguments, help: "queue") {
        case .success(let loaded): configuration = loaded
        case .failure(let code): return code
        }
        if let problem = SpoolAccess.problem(configuration.dataDirectory, command: "queue") {
            Console.error(problem)
            return .failure
        }
        let counts = SpoolCounts.read(dataDirectory: configuration.dataDirectory)
        print("incoming \(counts.incoming)")
        print("outbox   \(counts.outbox)")
        print("dead     \(counts.dead)")
        print("refused  \(counts.refused)")
        return .success
    }
}
