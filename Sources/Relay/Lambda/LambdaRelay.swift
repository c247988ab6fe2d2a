import Foundation
import HTTPServer
import Preservica

/// The relay as a Lambda function: the same spool, receiver, worker and deliverer as
/// ``RelayService``, without a listening socket. Each invocation is one HTTP request; a
/// notification is answered only after it is spooled and, within the invocation's deadline, after
/// its cards are delivered or dead-lettered, because Lambda freezes the process between invocations.
public final class LambdaRelay: Sendable {
    /// Time kept back from the invocation deadline for posting the answer.
    public static let safetyMargin: Int64 = 2_000

    /// The configuration it runs with.
    public let configuration: RelayConfiguration
    private let core: RelayCore
    private let progress: LambdaDeliveryProgress
    private let logger: Logger

    private var worker: IncomingWorker { core.pipeline.worker }
    private var deliverer: Deliverer { core.pipeline.deliverer }

    /// Opens the spool (repairing it after a crash) and starts the pipeline.
    public init(configuration: RelayConfiguration, logger: Logger) throws(JournalError) {
        self.configuration = configuration
        self.logger = logger
        // The same spool, receiver and pipeline as RelayService; only the HTTP server is missing.
        core = try RelayCore(configuration: configuration, logger: logger, metrics: Metrics(), status: RelayStatus())
        progress = LambdaDeliveryProgress(dataDirectory: configuration.dataDirectory, channels: configuration.channels.map(\.name))
        core.pipeline.start(in: core.tasks)
        core.tasks.add { [logger] in await logger.runSummaries(clock: SystemClock()) }
        logger.info("lambda relay ready", ["webhook": configuration.webhookPath, "secrets": String(configuration.webhookSecrets.count),
                                           "dataDir": configuration.dataDirectory, "records": String(core.recoveredRecords)])
    }

    /// Answers one invocation: the Lambda HTTP response JSON for its event.
    public func invoke(_ invocation: LambdaInvocation) async throws(LambdaEventError) -> [UInt8] {
        let request = try LambdaHTTPEvent.request(from: invocation.event)
        let response = await handle(request, deadlineMs: invocation.deadlineMs)
        return LambdaHTTPResult.payload(for: response)
    }

    /// Answers `request` as the HTTP server would; after an accepted notification, first lets the
    /// pipeline run until `deadlineMs` minus ``safetyMargin``.
    public func handle(_ request: HTTPRequest, deadlineMs: Int64) async -> HTTPResponse {
        switch route(request) {
        case .webhook:
            let response = await core.receiver.handleWebhook(request)
            if response.status == 200 && request.queryParameter("challengeCode") == nil {
                await settle(until: deadlineMs - Self.safetyMargin)
            }
            return response
        case .health:
            return .json(200, #"{"status":"ok"}"#)
        case .ready:
            return await core.journal.checkWritable()
                ? .json(200, #"{"status":"ready"}"#)
                : .json(503, #"{"status":"not ready","reason":"the spool cannot be written"}"#)
        case .refused(let response):
            return response
        }
    }

    /// Stops the pipeline (used when the runtime loop ends).
    public func stop() async {
        await core.tasks.shutdown()
        logger.writeSummaries(all: true)
        core.lock.release()
    }

    private func settle(until endMs: Int64) async {
        worker.notify()
        // Cards left from an earlier invocation may have become due while the environment was frozen.
        for channel in configuration.channels { deliverer.notify(channel.name) }
        let state = await progress.wait(until: endMs)
        if state.isSettled && state.waiting == 0 {
            logger.info("pipeline settled", ["seq": String(state.journalEnd)])
        } else {
            // What is left stays in /tmp and moves on when this environment is next invoked.
            logger.warning("invocation ends with work left", [
                "seq": String(state.journalEnd), "taken": String(state.taken), "cards_waiting": String(state.waiting),
            ])
        }
    }

    private func route(_ request: HTTPRequest) -> LambdaRoute {
        let path = request.path
        // API Gateway puts the stage in front of the path (`/default/webhook`), so paths match as suffixes.
        if path.hasSuffix(configuration.webhookPath) {
            if request.method == "POST" { return .webhook }
            var refusal = HTTPResponse.jsonError(405, "method not allowed")
            refusal.headers.set(name: "Allow", value: "POST")
            return .refused(refusal)
        }
        for (suffix, route) in [("/healthz", LambdaRoute.health), ("/readyz", .ready)] where path.hasSuffix(suffix) {
            if request.method == "GET" || request.method == "HEAD" { return route }
            var refusal = HTTPResponse.jsonError(405, "method not allowed")
            refusal.headers.set(name: "Allow", value: "GET, HEAD")
            return .refused(refusal)
        }
        return .refused(.jsonError(404, "no such path"))
    }
}
