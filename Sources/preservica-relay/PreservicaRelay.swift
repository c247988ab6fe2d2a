import Foundation
import Relay

/// Entry point: `preservica-relay <command> [options]`, dispatched through ``CommandTable``.
@main
struct PreservicaRelay {
    static func main() async {
        // Piped output (`demo | tee`, a test reading a file) arrives line by line, as at a terminal.
        LineBufferedOutput.enable()
        exit(await run(Array(CommandLine.arguments.dropFirst())).rawValue)
    }

    static func run(_ arguments: [String]) async -> ExitCode {
        var arguments = arguments
        guard !arguments.isEmpty else {
            // AWS Lambda starts the binary as `bootstrap` with no arguments: that means the Lambda runtime.
            let invokedAs = CommandLine.arguments.first.map { ($0 as NSString).lastPathComponent } ?? ""
            if invokedAs == "bootstrap" { return await LambdaCommand.run([]) }
            FileHandle.standardError.write(Data((Usage.overview + "\n").utf8))
            return .usage
        }
        let name = arguments.removeFirst()
        switch name {
        case "--help", "-h": return Usage.printHelp(arguments.first)
        case "--version": return Usage.printVersion()
        default: break
        }
        guard let command = CommandTable.command(name) else {
            Console.error("unknown command \(name)" + Suggestion.hint(for: name, among: CommandTable.all.map(\.name))
                + "; run 'preservica-relay help' for the list")
            return .usage
        }
        if arguments.contains("--help") || arguments.contains("-h") {
            print(arguments.first.flatMap(command.modeUsage) ?? command.usage)
            return .success
        }
        let known = command.options
        for (index, argument) in arguments.enumerated() where argument.hasPrefix("--") {
            // What follows --secret or --password is its value, a secret, even when it starts with
            // dashes: the command says the value is missing, without printing it.
            if index > 0 && CommandArguments.secretOptions.contains(arguments[index - 1]) { continue }
            let option = String(argument.prefix { $0 != "=" })
            guard !known.contains(option) else { continue }
            Console.error("\(name): unknown option \(option)" + Suggestion.hint(for: option, among: known.sorted())
                + "; run 'preservica-relay help \(name)' for its options")
            return .usage
        }
        return await command.run(arguments)
    }
}
