import Console
import Foundation
import Dispatch
import Relay

/// `preservica-relay serve`: run until SIGTERM or SIGINT.
enum ServeCommand {
    static func run(_ arguments: [String]) async -> ExitCode {
        var options = CommandArguments(arguments)
        let path: String
        let logger: Logger
        do throws(UsageError) {
            if options.flag("help") { return Usage.printHelp("serve") }
            path = try options.value("config") ?? RelayConfiguration.defaultPath()
            let formatText = try options.value("log-format") ?? "logfmt"
            guard let format = Logger.Format(rawValue: formatText) else {
                throw UsageError("--log-format must be logfmt or json, not \"\(formatText)\"")
            }
            logger = Logger(minimumLevel: try LogLevelOption.parse(options.value("log-level")), format: format)
            try options.finish()
        } catch {
            Console.error(error.message)
            return .usage
        }

        // Taken over before anything starts: a stop asked for while the relay starts is acted on as
        // soon as it has started, instead of killing it half way or (once ignored) being lost.
        let signals = ProcessSignals.stream()
        guard let configuration = ConfigOption.load(path: path) else { return .usage }
        for warning in configuration.warnings { logger.warning("configuration", ["detail": warning]) }
        // Past a file-size limit a write should fail (and answer 503), not kill the process.
        signal(SIGXFSZ, SIG_IGN)

        let service: RelayService
        do {
            service = try RelayService(configuration: configuration, logger: logger)
            if configuration.console.enabled { try service.mountConsole(ConsoleApp(service: service, logger: logger)) }
            try service.start()
        } catch {
            Console.error("cannot start: \(error)")
            return .failure
        }
        for await signal in signals {
            if signal == "SIGHUP" {
                // A bad configuration keeps the one in force and says why.
                do {
                    let next = try RelayConfiguration.load(path: path)
                    if let problem = next.reloadProblem(replacing: service.configuration) {
                        logger.error("configuration not reloaded; keeping the one in force", ["problems": problem])
                        continue
                    }
                    await service.reload(next)
                } catch {
                    logger.error("configuration not reloaded; keeping the one in force", ["problems": error.problems.joined(separator: "; ")])
                }
                continue
            }
            logger.info("stopping", ["signal": signal])
            break
        }
        await service.stop(gracePeriod: service.configuration.shutdownTimeout)
        return .success
    }
}

/// `--log-level` values.
enum LogLevelOption {
    static func parse(_ text: String?) throws(UsageError) -> Logger.Level {
        switch text {
        case nil, "info": .info
        case "debug": .debug
        case "warn", "warning": .warning
        case "error": .error
        case let other?: throw UsageError("--log-level must be debug, info, warn or error, not \"\(other)\"")
        }
    }
}
