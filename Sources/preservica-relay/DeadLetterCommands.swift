import Foundation
import Relay

/// `preservica-relay dead`, `replay` and `audit`: see what failed for good, send it again, and
/// follow what happened to an asset.
enum DeadLetterCommands {
    static func list(_ arguments: [String]) -> ExitCode {
        let configuration: RelayConfiguration
        switch ConfigOption.loadOnly(arguments, help: "dead") {
        case .success(let loaded): configuration = loaded
        case .failure(let code): return code
        }
        if let problem = SpoolAccess.problem(configuration.dataDirectory, command: "dead") {
            Console.error(problem)
            return .failure
        }
        let outbox = Outbox(dataDirectory: configuration.dataDirectory)
        let dead = outbox.deadJobs()
        let unreadable = outbox.unreadableDeadFiles()
        reportUnreadable(unreadable, outbox: outbox, command: "dead")
        if dead.isEmpty && unreadable.isEmpty { print("No dead letters.") }
        for job in dead {
            // Everything but the attempt count was read from a file that outside text reached.
            let fields = [job.id, job.channel, job.kind, job.ref.isEmpty ? "-" : job.ref].map(TerminalText.field)
            print("\(fields.joined(separator: "  "))  \"\(TerminalText.field(job.title))\"  attempts \(job.attempts)  "
                + TerminalText.field(job.createdAt))
            print("    \(TerminalText.field(job.lastReply))")
        }
        return unreadable.isEmpty ? .success : .failure
    }

    /// Names each dead letter that cannot be read: leaving it out would read as fewer failures.
    private static func reportUnreadable(_ files: [String], outbox: Outbox, command: String) {
        for file in files {
            Console.error("\(command): cannot read the dead letter \(outbox.dead)/\(TerminalText.field(file)) (damaged, or not written "
                          + "by the relay); look at it, then move it away or delete it")
        }
    }

    static func replay(_ arguments: [String]) -> ExitCode {
        var options = CommandArguments(arguments)
        let path: String
        let all: Bool
        var ids: [String] = []
        let channel: String?
        do throws(UsageError) {
            if options.flag("help") { return Usage.printHelp("replay") }
            all = options.flag("all")
            while let id = try options.value("id") { ids.append(id) }
            channel = try options.value("channel")
            path = try options.value("config") ?? RelayConfiguration.defaultPath()
            ids += try options.positional()
            try options.finish()
            let chosen = (all ? 1 : 0) + (ids.isEmpty ? 0 : 1) + (channel == nil ? 0 : 1)
            guard chosen == 1 else { throw UsageError("give --id ID (repeatable), --channel NAME or --all") }
        } catch {
            Console.error(error.message)
            return .usage
        }
        guard let configuration = ConfigOption.load(path: path) else { return .usage }
        let outbox = Outbox(dataDirectory: configuration.dataDirectory)
        // The channels a running relay delivers to: the file's and the console's.
        let configured = Set(configuration.channels.map(\.name)
            + ConsoleChannelStore(dataDirectory: configuration.dataDirectory).channels.map(\.name))
        // A misspelt name would otherwise answer "no dead letters" and look like good news. A
        // channel removed from the configuration still counts while its dead letters remain.
        if let channel, !configured.contains(channel), !outbox.deadJobs().contains(where: { $0.channel == channel }) {
            let names = configuration.channels.map(\.name)
            Console.error("replay: there is no channel \"\(channel)\" in \(path)"
                + (names.isEmpty ? "" : " (channels: \(names.joined(separator: ", ")))"))
            return .usage
        }
        if let problem = SpoolAccess.problem(configuration.dataDirectory, command: "replay") {
            Console.error(problem)
            return .failure
        }
        let unreadable = outbox.unreadableDeadFiles().filter { file in all || channel.map { file.hasPrefix($0 + "/") } ?? false }
        reportUnreadable(unreadable, outbox: outbox, command: "replay")
        let picked = outbox.deadJobs().filter { all || ids.contains($0.id) || $0.channel == channel }
        let missing = ids.filter { id in !picked.contains { $0.id == id } }
        for id in missing { Console.error("no dead letter \(id)") }
        // Put back in the outbox of a channel no longer configured, a card would wait there for
        // ever: no deliverer runs for it. It stays dead until the channel is added back.
        let orphaned = picked.filter { !configured.contains($0.channel) }
        for name in Set(orphaned.map(\.channel)).sorted() {
            Console.error("replay: channel \"\(name)\" is no longer configured; its dead letters stay in dead/ until it is added back")
        }
        let chosen = picked.filter { configured.contains($0.channel) }
        for job in chosen {
            do {
                try outbox.replay(job)
                // The asset's story (`audit --ref`) shows the second chance next to the failure.
                AuditLog(dataDirectory: configuration.dataDirectory).record("replayed", [
                    ("channel", .string(job.channel)), ("job", .string(job.id)), ("event", .string(job.event)), ("entity", .string(job.ref)),
                ])
                print("Replaying \(job.id) to \(job.channel)")
            } catch {
                Console.error("cannot replay \(job.id): \(error)")
                return .failure
            }
        }
        if picked.isEmpty && missing.isEmpty && unreadable.isEmpty { print("No dead letters to replay.") }
        if !chosen.isEmpty { print("A running relay sends them within a few seconds.") }
        return missing.isEmpty && orphaned.isEmpty && unreadable.isEmpty ? .success : .failure
    }

    static func audit(_ arguments: [String]) -> ExitCode {
        var options = CommandArguments(arguments)
        let path: String
        let ref: String
        do throws(UsageError) {
            if options.flag("help") { return Usage.printHelp("audit") }
            guard let given = try options.value("ref") else { throw UsageError("--ref REF is required") }
            ref = given
            path = try options.value("config") ?? RelayConfiguration.defaultPath()
            try options.finish()
        } catch {
            Console.error(error.message)
            return .usage
        }
        guard let configuration = ConfigOption.load(path: path) else { return .usage }
        if let problem = SpoolAccess.problem(configuration.dataDirectory, command: "audit") {
            Console.error(problem)
            return .failure
        }
        let timeline = AuditTimeline.entries(ref: ref, dataDirectory: configuration.dataDirectory)
        let width = timeline.map(\.what.count).max() ?? 0
        for entry in timeline {
            // Times, replies and reasons were read from files that outside text reached.
            print("\(TerminalText.field(entry.time))  \(entry.what.padding(toLength: width, withPad: " ", startingAt: 0))  "
                + TerminalText.field(entry.detail))
        }
        if timeline.isEmpty { print("Nothing recorded for \(ref).") }
        return .success
    }
}
