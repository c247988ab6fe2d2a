import Foundation
import Preservica
import Relay

/// `preservica-relay subscribe | subscriptions | unsubscribe`: manage Preservica's webhook
/// subscriptions without writing Python.
enum SubscriptionCommands {
    static func subscribe(_ arguments: [String]) async -> ExitCode {
        var options = CommandArguments(arguments)
        let url: String
        let trigger: TriggerType
        let givenSecret: String?
        let path: String
        do throws(UsageError) {
            if options.flag("help") { return Usage.printHelp("subscribe") }
            guard let urlText = try options.value("url"), let parsed = URL(string: urlText), parsed.scheme != nil else {
                throw UsageError("--url URL is required (the public address of the relay's webhook path)")
            }
            url = urlText
            guard let triggerText = try options.value("trigger") else { throw UsageError("--trigger is required") }
            guard let parsedTrigger = TriggerType(text: triggerText) else {
                throw UsageError("unknown trigger \"\(triggerText)\"; use one of "
                    + TriggerType.allCases.map { "\($0.rawValue) (\($0.alias))" }.joined(separator: ", "))
            }
            trigger = parsedTrigger
            givenSecret = try options.value("secret")
            path = try options.value("config") ?? RelayConfiguration.defaultPath()
            try options.finish()
        } catch {
            Console.error(error.message)
            return .usage
        }
        guard let (connection, configuredSecret, secretProblems) = connect(path) else { return .usage }
        if givenSecret == nil, configuredSecret == nil, !secretProblems.isEmpty {
            // A secret the file names but this shell cannot read (a variable set only for the
            // service, a file only its user may read): not a reason to make a new one.
            for problem in secretProblems { Console.error("\(path): \(problem)") }
            Console.error("subscribe: the relay's webhook secret could not be read here; fix that, or give it with --secret")
            return .usage
        }

        let secret: String
        if let givenSecret {
            secret = givenSecret
        } else if let configuredSecret {
            secret = configuredSecret.reveal
            print("Using the relay's webhook secret (the first of webhook.secrets in \(path), or secret.key of credentials.properties).")
        } else {
            let generated = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
            print("""
            New webhook secret (shown once; keep it somewhere safe):

                \(generated)

            Put it first in webhook.secrets of \(path) (or in PRESERVICA_WEBHOOK_SECRET), restart the relay,
            then subscribe again; Preservica checks the relay during the subscription. Without --secret,
            subscribe reads it from there, so it never shows in the list of processes:

                preservica-relay subscribe --url \(url) --trigger \(trigger.alias)
            """)
            return .success
        }
        do {
            let subscription = try await SubscriptionClient(connection: connection).create(url: url, trigger: trigger, secret: secret)
            print("Subscribed \(TerminalText.field(subscription.url)) to \(TerminalText.field(subscription.triggerType)): "
                + "subscription id \(TerminalText.field(subscription.id))")
            return .success
        } catch {
            Console.error("\(error)")
            return .failure
        }
    }

    static func list(_ arguments: [String]) async -> ExitCode {
        var options = CommandArguments(arguments)
        let path: String
        do throws(UsageError) {
            if options.flag("help") { return Usage.printHelp("subscriptions") }
            path = try options.value("config") ?? RelayConfiguration.defaultPath()
            try options.finish()
        } catch {
            Console.error(error.message)
            return .usage
        }
        guard let (connection, _, _) = connect(path) else { return .usage }
        do {
            let subscriptions = try await SubscriptionClient(connection: connection).list()
            if subscriptions.isEmpty { print("No webhook subscriptions.") }
            for subscription in subscriptions {
                let trigger = TerminalText.field(subscription.triggerType)
                // Padded, never cut (a cut could split an escape).
                print("\(TerminalText.field(subscription.id))  \(trigger + String(repeating: " ", count: max(0, 28 - trigger.count)))  "
                    + TerminalText.field(subscription.url))
            }
            return .success
        } catch {
            Console.error("\(error)")
            return .failure
        }
    }

    static func unsubscribe(_ arguments: [String]) async -> ExitCode {
        var options = CommandArguments(arguments)
        let path: String
        let all: Bool
        var ids: [String] = []
        do throws(UsageError) {
            if options.flag("help") { return Usage.printHelp("unsubscribe") }
            all = options.flag("all")
            path = try options.value("config") ?? RelayConfiguration.defaultPath()
            ids = try options.positional()
            try options.finish()
            guard all != !ids.isEmpty else { throw UsageError("give a subscription ID, or --all") }
        } catch {
            Console.error(error.message)
            return .usage
        }
        guard let (connection, _, _) = connect(path) else { return .usage }
        let client = SubscriptionClient(connection: connection)
        do {
            if all { ids = try await client.list().map(\.id) }
            for id in ids {
                try await client.delete(id: id)
                print("Deleted subscription \(TerminalText.field(id))")
            }
            if ids.isEmpty { print("No webhook subscriptions.") }
            return .success
        } catch {
            Console.error("\(error)")
            return .failure
        }
    }

    /// The connection from the configuration's `preservica` block (or environment, or
    /// credentials.properties), and the first configured webhook secret; nil after printing why.
    private static func connect(_ path: String) -> (PreservicaConnection, Secret?, [String])? {
        do {
            let (settings, secret, problems) = try RelayConfiguration.loadPreservicaSettings(path: path)
            let connection = try settings.connection()
            return (connection, secret, problems)
        } catch let error as ConfigurationError {
            FileHandle.standardError.write(Data((TerminalText.lines(error.description) + "\n").utf8))
        } catch {
            Console.error("\(error)")
        }
        return nil
    }
}
