import Foundation
import Relay

/// `preservica-relay lambda`: the AWS Lambda custom runtime (packaged as `bootstrap`).
enum LambdaCommand {
    static func run(_ arguments: [String]) async -> ExitCode {
        var options = CommandArguments(arguments)
        let path: String
        let logger: Logger
        do throws(UsageError) {
            if options.flag("help") { return Usage.printHelp("lambda") }
            path = try options.value("config") ?? RelayConfiguration.defaultPath()
            logger = Logger(minimumLevel: try LogLevelOption.parse(options.value("log-level")))
            try options.finish()
        } catch {
            Console.error(error.message)
            return .usage
        }
        guard let api = ProcessInfo.processInfo.environment["AWS_LAMBDA_RUNTIME_API"], !api.isEmpty else {
            Console.error("AWS_LAMBDA_RUNTIME_API is not set: the lambda command runs inside AWS Lambda (use serve elsewhere)")
            return .usage
        }
        let client = LambdaRuntimeClient(hostAndPort: api)
        // Past a file-size limit a write should fail (and answer 503), not kill the process.
        signal(SIGXFSZ, SIG_IGN)

        let relay: LambdaRelay
        do {
            let configuration = try RelayConfiguration.loadForLambda(path: path)
            for warning in configuration.warnings { logger.warning("configuration", ["detail": warning]) }
            relay = try LambdaRelay(configuration: configuration, logger: logger)
        } catch let error as ConfigurationError {
            // As `serve` does: a configuration with problems exits 2.
            return await initFailed(error.description, type: "Runtime.ConfigurationError", client: client, logger: logger, code: .usage)
        } catch {
            return await initFailed("cannot open the spool: \(error)", type: "Runtime.SpoolError", client: client, logger: logger)
        }
        let failure = await LambdaRuntimeLoop(client: client, logger: logger).run(relay)
        await relay.stop()
        Console.error(failure.description)
        return .failure
    }

    /// Tells Lambda why the function cannot start (it shows in the invocation's error and the logs).
    private static func initFailed(_ message: String, type: String, client: LambdaRuntimeClient, logger: Logger,
                                   code: ExitCode = .failure) async -> ExitCode {
        Console.error(message)
        do {
            try await client.initError(LambdaErrorReport(message: message, type: type))
        } catch {
            logger.error("cannot report the init error", ["error": error.description])
        }
        return code
    }
}
