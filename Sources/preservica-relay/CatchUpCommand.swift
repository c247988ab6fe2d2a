import Foundation
import Preservica
import Relay

/// `preservica-relay catch-up --since ISO8601`: what changed while the relay was away becomes events.
enum CatchUpCommand {
    static func run(_ arguments: [String]) async -> ExitCode {
        var options = CommandArguments(arguments)
        let given: String
        let dryRun: Bool
        let path: String
        do throws(UsageError) {
            if options.flag("help") { return Usage.printHelp("catch-up") }
            guard let value = try options.value("since") else { throw UsageError("--since ISO8601 is required, e.g. 2026-11-28T18:00:00") }
            given = value
            dryRun = options.flag("dry-run")
            path = try options.value("config") ?? RelayConfiguration.defaultPath()
            try options.finish()
        } catch {
            Console.error(error.message)
            return .usage
        }
        guard let configuration = ConfigOption.load(path: path) else { return .usage }
        guard let entities = ConfigOption.entities(configuration, for: "catch-up"), let settings = configuration.preservica else {
            return .usage
        }
        // Without a zone, the date is Preservica's local time (preservica.timeZone, UTC unless set).
        guard let since = CatchUpSince.normalized(given, zone: settings.timeZone) else {
            Console.error("--since must be an ISO 8601 date or date-time, e.g. 2026-11-28, 2026-11-28T18:00:00 or "
                          + "2026-11-28T18:00:00+01:00 (without a zone: preservica.timeZone, UTC unless set)")
            return .usage
        }
        let catchUp = CatchUp(entities: entities, dataDirectory: configuration.dataDirectory, tenant: settings.credentials.tenant ?? "")
        let result: CatchUp.Result
        do {
            result = try await catchUp.pending(since: since)
        } catch {
            Console.error("\(error)")
            return .failure
        }
        print("\(result.changed) asset(s) changed since \(since); \(result.skipped) already received or delivered; \(result.queued.count) to send"
              + (result.deleted > 0 ? "; \(result.deleted) deleted (no card)" : ""))
        if dryRun || result.queued.isEmpty {
            // References as Preservica listed them: escaped like any of its text.
            for ref in result.queued { print("  \(TerminalText.field(ref))") }
            return .success
        }
        guard let sender = CatchUpSender(configuration: configuration) else {
            Console.error("cannot work out the relay's webhook address from \(path)")
            return .usage
        }
        do {
            let statuses = try await sender.send(catchUp.notifications(for: result.queued))
            let accepted = statuses.filter { $0 == 200 }.count
            print("Sent \(result.queued.count) event(s) in \(statuses.count) notification(s) to the relay; \(accepted) accepted")
            return accepted == statuses.count ? .success : .failure
        } catch {
            Console.error("the relay is not answering at its webhook (\(error)); start it, then run catch-up again")
            return .failure
        }
    }
}
