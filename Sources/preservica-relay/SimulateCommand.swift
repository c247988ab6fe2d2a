/// `preservica-relay simulate preservica|send`: the Preservica simulator from the command line.
enum SimulateCommand {
    static func run(_ arguments: [String]) async -> ExitCode {
        Console.error("simulate is not available yet")
        return .usage
    }
}
