import Foundation
import Relay

/// Entry point: `preservica-relay <command> [options]`.
@main
struct PreservicaRelay {
    static func main() async {
        // Piped output (`demo | tee`, a test reading a file) arrives line by line, as at a terminal.
        LineBufferedOutput.enable()
        var arguments = Array(CommandLine.arguments.dropFirst())
        // AWS Lambda starts the binary as `bootstrap` with no arguments: that means the Lambda runtime.
        let invokedAs = CommandLine.arguments.first.map { ($0 as NSString).lastPathComponent } ?? ""
        let command = arguments.isEmpty ? (invokedAs == "bootstrap" ? "lambda" : "help") : arguments.removeFirst()
        let code: ExitCode
        switch command {
        case "serve": code = await ServeCommand.run(arguments)
        case "lambda": code = await LambdaCommand.run(arguments)
        case "demo": code = await DemoCommand.run(arguments)
        case "queue": code = QueueCommand.run(arguments)
        case "simulate": code = await SimulateCommand.run(arguments)
        case "enrich": code = await EnrichCommand.run(arguments)
        case "render": code = RenderCommand.run(arguments)
        case "preview": code = await PreviewCommand.run(arguments)
        case "check-config": code = await CheckConfigCommand.run(arguments)
        case "routes": code = await RoutesCommand.run(arguments)
        case "dead": code = DeadLetterCommands.list(arguments)
        case "replay": code = DeadLetterCommands.replay(arguments)
        case "audit": code = DeadLetterCommands.audit(arguments)
        case "catch-up": code = await CatchUpCommand.run(arguments)
        case "subscribe": code = await SubscriptionCommands.subscribe(arguments)
        case "subscriptions": code = await SubscriptionCommands.list(arguments)
        case "unsubscribe": code = await SubscriptionCommands.unsubscribe(arguments)
        case "help", "--help", "-h": code = Usage.printHelp(arguments.first)
        case "--version", "version":
            print("preservica-relay \(RelayVersion.current)")
            code = .success
        default:
            Console.error("unknown command \"\(command)\"; run 'preservica-relay help' for the list")
            code = .usage
        }
        exit(code.rawValue)
    }
}
