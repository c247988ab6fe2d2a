import Relay

/// The overview and `help <command>`, both read from ``CommandTable``.
enum Usage {
    /// The list of commands, each with its one-line summary, aligned.
    static var overview: String {
        let width = CommandTable.all.map(\.name.count).max() ?? 0
        let lines = CommandTable.all.map { "  " + $0.name.padding(toLength: width + 2, withPad: " ", startingAt: 0) + $0.summary }
        return """
        preservica-relay: Preservica webhooks to chat channels.

        Usage: preservica-relay <command> [options]

        Commands:
        \(lines.joined(separator: "\n"))

        Every command takes -h or --help. Exit codes: 0 success, 1 runtime failure, 2 bad command
        line or configuration. Run 'preservica-relay help <command>' for a command's options.
        """
    }

    /// Prints the overview, or the help of `command`; an unknown command exits 2 with a hint.
    static func printHelp(_ command: String?) -> ExitCode {
        guard let command else {
            print(overview)
            return .success
        }
        guard let found = CommandTable.command(command) else {
            Console.error("no command \(command)" + Suggestion.hint(for: command, among: CommandTable.all.map(\.name))
                + "; run 'preservica-relay help' for the list")
            return .usage
        }
        print(found.usage)
        return .success
    }

    static func printVersion() -> ExitCode {
        print("preservica-relay \(RelayVersion.current)")
        return .success
    }
}
