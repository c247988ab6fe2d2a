/// `preservica-relay subscribe | subscriptions | unsubscribe` (being written).
enum SubscriptionCommands {
    static func subscribe(_ arguments: [String]) async -> ExitCode { notYet() }
    static func list(_ arguments: [String]) async -> ExitCode { notYet() }
    static func unsubscribe(_ arguments: [String]) async -> ExitCode { notYet() }

    private static func notYet() -> ExitCode {
        Console.error("this command is not available yet")
        return .usage
    }
}
