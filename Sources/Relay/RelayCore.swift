import Foundation
import Preservica

/// What every form of the relay shares, whatever carries the requests (the HTTP server or AWS
/// Lambda): the spool, the deduplication index rebuilt from it, the webhook receiver with its
/// replaceable secrets, and the pipeline (worker and deliverer) built from the configuration.
final class RelayCore: Sendable {
    let journal: IncomingJournal
    let receiver: WebhookReceiver
    let verifiers: SharedVerifier
    let running: RunningPipeline
    let metrics: Metrics
    let status: RelayStatus
    /// How many records the spool held at start.
    let recoveredRecords: Int
    /// When the last of them was received (the relay's ISO 8601 form); nil for an empty spool.
    let lastReceivedAt: String?
    /// The task group the pipeline's loops (and a catch-up) run in, from the first start until stop.
    let tasks = TaskSupervisor()
    /// Notifications as the receiver parsed them, waiting for the worker.
    let spooled: SpooledNotifications
    /// This relay's hold on its data directory, from start until stop.
    let lock: DataDirectoryLock
    /// What the channels' loops could not write to the outbox, handed from each pipeline to the next.
    let unwrittenJobs = UnwrittenJobsStore()
    /// Each channel's pace, kept across reloads.
    let paces = PaceStore()
    /// Channels whose address is gone, kept across reloads while their address stays the same.
    let gones = GoneStore()

    /// Takes the data directory (refused when another relay has it), opens the spool (repairing it
    /// after a crash) and builds the pipeline; nothing runs yet.
    init(configuration: RelayConfiguration, logger: Logger, metrics: Metrics, status: RelayStatus) throws(JournalError) {
        self.metrics = metrics
        self.status = status
        lock = try DataDirectoryLock(directory: configuration.dataDirectory)
        let (journal, records) = try IncomingJournal.open(directory: configuration.dataDirectory + "/incoming")
        self.journal = journal
        for copy in journal.damagedAtOpen {
            // A disk fault, or blocks of a last write lost in a power cut (then it was never
            // acknowledged, and Preservica sends it again).
            logger.error("the journal held a damaged record between whole ones: the records around it are kept; "
                         + "its notification is lost unless Preservica sends it again", ["kept": copy])
        }
        recoveredRecords = records.count
        lastReceivedAt = records.last?.metadata.receivedAt
        for directory in ["outbox", "dead"] {
            try? SpoolFiles.makeDirectory(configuration.dataDirectory + "/" + directory)
        }
        let deduplication = DeduplicationIndex()
        for record in records { deduplication.insertDurable(record.metadata.key) }
        let spooled = SpooledNotifications()
        self.spooled = spooled
        let running = RunningPipeline(configuration: configuration,
                                      pipeline: RelayPipeline(configuration: configuration, logger: logger, metrics: metrics, status: status,
                                                              spooled: spooled, unwrittenJobs: unwrittenJobs, paces: paces, gones: gones,
                                                              durable: { journal.lastSequence }))
        self.running = running
        verifiers = SharedVerifier(WebhookVerifier(secrets: configuration.webhookSecrets.map(\.reveal)))
        receiver = WebhookReceiver(
            path: configuration.webhookPath, verifiers: verifiers, journal: journal, deduplication: deduplication,
            logger: logger, metrics: metrics, refused: RefusedNotifications(dataDirectory: configuration.dataDirectory),
            handOff: { spooled.keep($0) },
            onSpooled: { running.withLock { $0.pipeline.worker }.notify() }
        )
    }

    /// The configuration in force.
    var configuration: RelayConfiguration { running.withLock { $0.configuration } }
    /// The pipeline in force.
    var pipeline: RelayPipeline { running.withLock { $0.pipeline } }

    /// A new pipeline for `configuration` over this spool (for a reload).
    func makePipeline(_ configuration: RelayConfiguration, logger: Logger) -> RelayPipeline {
        let journal = self.journal
        // What a channel the new configuration no longer has could not write is forgotten, as at a restart.
        unwrittenJobs.keepOnly(Set(configuration.channels.map(\.name)))
        paces.keepOnly(Set(configuration.channels.compactMap(\.paceScope)))
        return RelayPipeline(configuration: configuration, logger: logger, metrics: metrics, status: status,
                             spooled: spooled, unwrittenJobs: unwrittenJobs, paces: paces, gones: gones,
                             durable: { journal.lastSequence })
    }
}
