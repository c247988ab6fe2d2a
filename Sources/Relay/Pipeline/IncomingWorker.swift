import Foundation
import Preservica
import Synchronization

/// Takes notifications from the incoming journal in order, one event at a time, and enriches each
/// asset through the Entity API. (Routing and delivery build on this.)
///
/// It wakes when the receiver spools something, and also every few seconds in case a wake-up was
/// missed; after each notification it moves the cursor so a restart resumes where it stopped.
public final class IncomingWorker: Sendable {
    private let directory: String
    private let entities: EntityClient?
    private let planner: CardPlanner?
    private let onPlanned: @Sendable ([String]) -> Void
    private let durable: @Sendable () -> UInt64
    private let logger: Logger
    private let metrics: Metrics
    private let position = Atomic<UInt64>(0)

    /// The sequence of the last notification the pipeline has taken.
    public var lastTaken: UInt64 { position.load(ordering: .relaxed) }
    private let wakeups: AsyncStream<Void>
    private let wake: AsyncStream<Void>.Continuation
    private let task = Mutex<Task<Void, Never>?>(nil)
    private let processed = Mutex<[EnrichedAsset]>([])

    /// A worker over the journal in `directory` (`<dataDir>/incoming`); without `entities` events are
    /// passed on unenriched.
    public convenience init(directory: String, entities: EntityClient?, logger: Logger) {
        self.init(directory: directory, entities: entities, planner: nil, logger: logger, metrics: Metrics(),
                  durable: { .max }, onPlanned: { _ in })
    }

    /// A worker that also turns each enriched event into delivery jobs through `planner`, and
    /// calls `onPlanned` with the channels that got new jobs.
    init(directory: String, entities: EntityClient?, planner: CardPlanner?, logger: Logger, metrics: Metrics,
         durable: @escaping @Sendable () -> UInt64, onPlanned: @escaping @Sendable ([String]) -> Void) {
        self.durable = durable
        self.metrics = metrics
        self.directory = directory
        self.entities = entities
        self.planner = planner
        self.onPlanned = onPlanned
        self.logger = logger
        (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Starts the loop.
    public func start() {
        let loop = Task { [self] in await run() }
        task.withLock { $0 = loop }
    }

    /// Asks the loop to look at the journal now.
    public func notify() { wake.yield() }

    /// Stops after the event in progress.
    public func stop() async {
        let loop = task.withLock { $0 }
        loop?.cancel()
        wake.finish()
        await loop?.value
    }

    /// The most recent enrichment results (newest last, at most 100), for the status page and tests.
    public var recent: [EnrichedAsset] { processed.withLock { $0 } }

    private func run() async {
        let reader = JournalReader(directory: directory)
        let cursor = IncomingCursor(directory: directory)
        var taken = cursor.read()
        position.store(taken, ordering: .relaxed)
        let ticker = Task { [wake] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(5))
                wake.yield()
            }
        }
        defer { ticker.cancel() }
        var iterator = wakeups.makeAsyncIterator()
        var backlog: [JournalRecord] = []
        repeat {
            backlog += reader.readNew(durable: durable()).filter { $0.sequence > taken }
            while !backlog.isEmpty && !Task.isCancelled {
                if backlog.count < Self.batchSize { backlog += reader.readNew(durable: durable()).filter { $0.sequence > taken } }
                // Several notifications are enriched at once (the connection still bounds the
                // requests in flight); their cards are then queued strictly in journal order.
                let batch = Array(backlog.prefix(Self.batchSize))
                let prepared = await withTaskGroup(of: (Int, Prepared?).self) { group in
                    for (index, record) in batch.enumerated() {
                        group.addTask { (index, await self.prepare(record)) }
                    }
                    var results = [Prepared?](repeating: nil, count: batch.count)
                    for await (index, result) in group { results[index] = result }
                    return results
                }
                // Stopped or reloading while enriching: leave the batch for the next pipeline rather
                // than send cards built from cut-short lookups.
                if Task.isCancelled { break }
                var failed = false
                for (record, ready) in zip(batch, prepared) {
                    do {
                        if let ready { try queueCards(ready) }
                    } catch {
                        // The outbox could not be written: keep the record and try again at the next wake-up.
                        logger.error("cannot queue cards; will try again", ["seq": String(record.sequence), "error": "\(error)"])
                        failed = true
                        break
                    }
                    backlog.removeFirst()
                    taken = record.sequence
                    position.store(taken, ordering: .relaxed)
                    do {
                        try cursor.write(taken)
                    } catch {
                        logger.error("cannot record pipeline progress", ["error": "\(error)"])
                    }
                }
                if failed { break }
            }
        } while await iterator.next() != nil && !Task.isCancelled
    }

    /// How many notifications are enriched together.
    static let batchSize = 32

    /// A notification with its asset events enriched, ready for its cards.
    struct Prepared: Sendable {
        var record: JournalRecord
        var notification: WebhookNotification
        var assets: [WebhookEvent]
        var results: [EnrichedAsset]
    }

    private func queueCards(_ prepared: Prepared) throws {
        guard let planner else { return }
        var channels: Set<String> = []
        for (index, enriched) in prepared.results.enumerated() {
            channels.formUnion(try planner.plan(sequence: prepared.record.sequence, eventIndex: index, notification: prepared.notification,
                                                event: prepared.assets[index], asset: enriched,
                                                receivedAt: prepared.record.metadata.receivedAt))
        }
        if !channels.isEmpty { onPlanned(Array(channels)) }
    }

    private func prepare(_ record: JournalRecord) async -> Prepared? {
        guard let notification = try? WebhookNotification.parse(record.body) else {
            logger.error("spooled notification cannot be read; skipped", ["seq": String(record.sequence)])
            return nil
        }
        let assets = notification.events.filter { $0.entityType == "IO" }
        for event in notification.events where event.entityType != "IO" {
            logger.debug("event for a non-asset entity", ["seq": String(record.sequence), "type": event.entityType, "entity": event.entityRef])
        }
        let started = ContinuousClock.now
        let known = assets.map { event in event.identifiers.map { $0.map { EntityIdentifier(type: $0.type, value: $0.value) } } }
        let results: [EnrichedAsset]
        if let entities {
            results = await entities.enrich(assets.map(\.entityRef), knownIdentifiers: known)
        } else {
            // Without credentials the card still goes out, with what the event itself says.
            results = assets.map { EnrichedAsset(ref: $0.entityRef, asset: nil, path: [], bitstreams: [], identifiers: [],
                                                 notFound: false, problems: ["no Preservica credentials configured"]) }
        }
        let elapsed = ContinuousClock.now - started
        metrics.increment("preservica_relay_events_total", [("trigger", MetricLabel.trigger(notification.trigger))], by: Double(notification.events.count))
        if entities != nil && !assets.isEmpty {
            metrics.observe("preservica_relay_enrichment_duration_seconds",
                            Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        }
        for enriched in results {
            let result = enriched.notFound ? "not_found" : enriched.problems.isEmpty ? "ok" : "failed"
            if entities != nil { metrics.increment("preservica_relay_enrichments_total", [("result", result)]) }
            remember(enriched)
            if enriched.notFound {
                logger.warning("asset not found in Preservica; the card goes out without enrichment",
                               ["seq": String(record.sequence), "entity": enriched.ref])
            } else if !enriched.problems.isEmpty {
                logger.warning("asset partly enriched", ["seq": String(record.sequence), "entity": enriched.ref,
                                                         "problems": enriched.problems.joined(separator: "; ")])
            } else {
                logger.info("asset enriched", [
                    "seq": String(record.sequence), "trigger": notification.trigger, "entity": enriched.ref,
                    "bitstreams": String(enriched.bitstreams.count), "depth": String(enriched.path.count),
                    "ms": String(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000),
                ])
            }
        }
        return Prepared(record: record, notification: notification, assets: assets, results: results)
    }

    private func remember(_ enriched: EnrichedAsset) {
        processed.withLock { list in
            list.append(enriched)
            if list.count > 100 { list.removeFirst(list.count - 100) }
        }
    }
}
