/// `preservica-relay help [command]`.
enum Usage {
    static let overview = """
    preservica-relay: Preservica webhooks to chat channels.

    Usage: preservica-relay <command> [options]

    Commands:
      serve      Receive Preservica webhooks (verified, spooled to disk before 200)
      demo       Run the pipeline on loopback with a temporary data dir, then exit
      queue      Print how many items wait in incoming/, outbox/ and dead/
      help       Show help for a command
      --version  Print the version

    Exit codes: 0 success, 1 runtime failure, 2 bad command line or configuration.
    Run 'preservica-relay help <command>' for a command's options.
    """

    static let commands: [String: String] = [
        "serve": """
        Usage: preservica-relay serve [--config FILE] [--log-level debug|info|warn|error]

        Listens for Preservica webhooks as configured. FILE defaults to $RELAY_CONFIG, else
        config/relay.json5. A configuration problem prints one line per problem and exits 2.
        SIGTERM or SIGINT stops accepting, finishes requests in progress and exits 0.
        """,
        "demo": """
        Usage: preservica-relay demo

        Starts the receiver on a free loopback port with a temporary data dir, sends it a
        subscription handshake, a signed chunked notification, a duplicate and a forged one,
        prints what happened, and exits 0 when every answer was the expected one.
        """,
        "queue": """
        Usage: preservica-relay queue [--config FILE]

        Prints the number of notifications in incoming/ not yet processed, and the job files
        in outbox/ and dead/ of the configured data directory.
        """,
    ]

    static func printHelp(_ command: String?) -> ExitCode {
        if let command {
            guard let text = commands[command] else {
                Console.error("no help for \"\(command)\"")
                return .usage
            }
            print(text)
        } else {
            print(overview)
        }
        return .success
    }
}
