import Foundation
import HTTPServer
import Preservica

/// The running relay: spool, receiver and HTTP server wired from one configuration.
public final class RelayService: Sendable {
    /// The configuration it runs with.
    public let configuration: RelayConfiguration
    private let server: HTTPServer
    private let journal: IncomingJournal
    private let logger: Logger
    /// The pipeline stage after the journal.
    public let worker: IncomingWorker
    /// Posts the outbox to the chat channels.
    public let deliverer: Deliverer
    /// Counters, gauges and histograms served at `/metrics`.
    public let metrics = Metrics()
    /// What the status page at `/` shows.
    public let status = RelayStatus()

    /// Opens the spool (repairing it after a crash) and prepares the server; nothing listens yet.
    public init(configuration: RelayConfiguration, logger: Logger) throws(JournalError) {
        self.configuration = configuration
        self.logger = logger
        let (journal, records) = try IncomingJournal.open(directory: configuration.dataDirectory + "/incoming")
        self.journal = journal
        for directory in ["outbox", "dead"] {
            try? FileManager.default.createDirectory(atPath: configuration.dataDirectory + "/" + directory,
                                                     withIntermediateDirectories: true)
        }
        let deduplication = DeduplicationIndex()
        for record in records { deduplication.insertDurable(record.metadata.key) }
        var entities: EntityClient?
        if let settings = configuration.preservica {
            do {
                let connection = try PreservicaConnection(credentials: settings.credentials,
                                                          maxConcurrentRequests: settings.maxConcurrentRequests,
                                                          timeout: settings.timeout, retries: settings.retries)
                entities = EntityClient(connection: connection, folderCacheTTL: settings.folderCacheTTL)
            } catch {
                logger.error("Preservica settings unusable; events will not be enriched", ["error": "\(error)"])
            }
        } else {
            logger.warning("no Preservica credentials; events will not be enriched")
        }
        let planner = configuration.channels.isEmpty ? nil : CardPlanner(configuration: configuration, logger: logger)
        let deliverer = Deliverer(channels: configuration.channels, dataDirectory: configuration.dataDirectory, planner: planner,
                                  logger: logger, metrics: metrics, status: status)
        self.deliverer = deliverer
        let worker = IncomingWorker(directory: configuration.dataDirectory + "/incoming", entities: entities, planner: planner,
                                    logger: logger, metrics: metrics, onPlanned: { channels in for channel in channels { deliverer.notify(channel) } })
        self.worker = worker
        let receiver = WebhookReceiver(
            path: configuration.webhookPath,
            verifier: WebhookVerifier(secrets: configuration.webhookSecrets.map(\.reveal)),
            journal: journal, deduplication: deduplication, logger: logger, metrics: metrics,
            onSpooled: { worker.notify() }
        )
        var router = receiver.router()
        let metrics = self.metrics
        let status = self.status
        let dataDirectory = configuration.dataDirectory
        let channels = configuration.channels
        Self.registerGauges(metrics, journal: journal, worker: worker, dataDirectory: dataDirectory)
        router.add("GET", "/metrics") { _ in
            HTTPResponse(status: 200, headers: ["Content-Type": "text/plain; version=0.0.4; charset=utf-8"],
                         body: Array(metrics.exposition().utf8))
        }
        router.add("GET", "/") { _ in
            let outbox = Outbox(dataDirectory: dataDirectory)
            let dead = outbox.deadJobs()
            let counts = SpoolCounts(incoming: Int(max(0, Double(journal.lastSequence) - Double(worker.lastTaken))),
                                     outbox: SpoolCounts.outbox(dataDirectory: dataDirectory), dead: dead.count)
            let page = StatusPage.render(status: status, channels: channels, counts: counts, dead: dead)
            return HTTPResponse(status: 200, headers: ["Content-Type": "text/html; charset=utf-8"], body: Array(page.utf8))
        }
        server = HTTPServer(
            configuration: .init(host: configuration.listenHost, port: configuration.listenPort, limits: configuration.limits),
            handler: router
        )
        if !records.isEmpty {
            logger.info("spool recovered", ["records": String(records.count), "dir": configuration.dataDirectory])
        }
    }

    private static func registerGauges(_ metrics: Metrics, journal: IncomingJournal, worker: IncomingWorker, dataDirectory: String) {
        metrics.gauge("preservica_relay_queue_depth", [("queue", "incoming")]) {
            max(0, Double(journal.lastSequence) - Double(worker.lastTaken))
        }
        metrics.gauge("preservica_relay_queue_depth", [("queue", "outbox")]) {
            Double(SpoolCounts.outbox(dataDirectory: dataDirectory))
        }
        metrics.gauge("preservica_relay_queue_depth", [("queue", "dead")]) {
            Double(SpoolCounts.dead(dataDirectory: dataDirectory))
        }
        metrics.gauge("preservica_relay_oldest_job_age_seconds") {
            let outbox = Outbox(dataDirectory: dataDirectory)
            let channels = (try? FileManager.default.contentsOfDirectory(atPath: outbox.outbox)) ?? []
            let oldest = channels.compactMap { outbox.pending(channel: $0).first.flatMap { Deliverer.date($0.createdAt) } }.min()
            return oldest.map { Date().timeIntervalSince($0) } ?? 0
        }
    }

    /// Starts listening; returns the bound port.
    @discardableResult
    public func start() throws -> Int {
        let port = try server.start()
        worker.start()
        deliverer.start()
        let host = configuration.listenHost.contains(":") ? "[\(configuration.listenHost)]" : configuration.listenHost
        logger.info("listening", ["address": "\(host):\(port)", "webhook": configuration.webhookPath,
                                  "secrets": String(configuration.webhookSecrets.count), "dataDir": configuration.dataDirectory])
        return port
    }

    /// Stops accepting, finishes requests in progress (up to `gracePeriod`), and closes.
    public func stop(gracePeriod: Duration = .seconds(10)) async {
        await server.stop(gracePeriod: gracePeriod)
        await worker.stop()
        await deliverer.stop()
        logger.info("stopped")
    }
}
