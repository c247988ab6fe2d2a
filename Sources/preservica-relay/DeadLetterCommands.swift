import Foundation
import Relay

/// `preservica-relay dead` and `replay`: see what failed for good, and send it again.
enum DeadLetterCommands {
    static func list(_ arguments: [String]) -> ExitCode {
        guard let (configuration, _, _) = parse(arguments, help: "dead") else { return .usage }
        let dead = Outbox(dataDirectory: configuration.dataDirectory).deadJobs()
        if dead.isEmpty { print("No dead letters.") }
        for job in dead {
            print("\(job.id)  \(job.channel)  \(job.kind)  attempts \(job.attempts)  \(job.createdAt)")
            print("    \(job.lastReply)")
        }
        return .success
    }

    static func replay(_ arguments: [String]) -> ExitCode {
        guard let (configuration, ids, all) = parse(arguments, help: "replay") else { return .usage }
        let outbox = Outbox(dataDirectory: configuration.dataDirectory)
        let chosen = outbox.deadJobs().filter { all || ids.contains($0.id) }
        let missing = ids.filter { id in !chosen.contains { $0.id == id } }
        for id in missing { Console.error("no dead letter \(id)") }
        for job in chosen {
            do {
                try outbox.replay(job)
                print("Replaying \(job.id) to \(job.channel)")
            } catch {
                Console.error("cannot replay \(job.id): \(error)")
                return .failure
            }
        }
        if chosen.isEmpty && missing.isEmpty { print("No dead letters.") }
        if !chosen.isEmpty { print("A running relay sends them within a few seconds.") }
        return missing.isEmpty ? .success : .failure
    }

    private static func parse(_ arguments: [String], help: String) -> (RelayConfiguration, [String], Bool)? {
        var options = CommandArguments(arguments)
        let path: String
        let all: Bool
        let ids: [String]
        do throws(UsageError) {
            if options.flag("help") {
                _ = Usage.printHelp(help)
                return nil
            }
            all = options.flag("all")
            path = try options.value("config") ?? RelayConfiguration.defaultPath()
            ids = options.positional()
            try options.finish()
            if help == "replay" && all == !ids.isEmpty { throw UsageError("give dead letter IDs, or --all") }
        } catch {
            Console.error(error.message)
            return nil
        }
        guard let configuration = ConfigOption.load(path: path) else { return nil }
        return (configuration, ids, all)
    }
}
