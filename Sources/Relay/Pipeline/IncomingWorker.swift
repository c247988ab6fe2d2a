import Foundation
import Preservica
import Synchronization

/// Takes notifications from the incoming journal in order, one event at a time, and enriches each
/// asset through the Entity API. (Routing and delivery build on this.)
///
/// It wakes when the receiver spools something, and also every few seconds in case a wake-up was
/// missed; after each batch of notifications it moves the cursor so a restart resumes where it
/// stopped.
public final class IncomingWorker: Sendable {
    private let directory: String
    /// The Entity API client of the configuration this worker was made from; nil without credentials.
    let entities: EntityClient?
    private let planner: CardPlanner?
    private let onPlanned: @Sendable ([String]) -> Void
    private let durable: @Sendable () -> UInt64
    private let logger: Logger
    private let metrics: Metrics
    private let position = Atomic<UInt64>(0)

    /// The sequence of the last notification the pipeline has taken.
    public var lastTaken: UInt64 { position.load(ordering: .relaxed) }
    private let wakeup = Wakeup()
    private let processed = Mutex<[EnrichedAsset]>([])
    /// Nil when nothing is held: without Preservica or channels there is nothing to wait for.
    private let hold: HoldPolicy?
    private let holds: HoldDirectory
    private let clock: any RelayClock
    private let held = Mutex<[UInt64: HeldNotification]>([:])
    /// Holds whose file could not be rewritten or removed: left to their own few seconds' wait,
    /// never asked again at once because another hold was answered.
    private let keptBack = Mutex<Set<UInt64>>([])
    /// The entity types some route takes (nil: every type); events of other types are skipped.
    private let entityTypes: Set<String>?
    /// Notifications the receiver has parsed already; the rest are parsed from the journal.
    private let spooled: SpooledNotifications?

    /// A worker over the journal in `directory` (`<dataDir>/incoming`); without `entities` events are
    /// passed on unenriched.
    public convenience init(directory: String, entities: EntityClient?, logger: Logger) {
        self.init(directory: directory, entities: entities, planner: nil, logger: logger, metrics: Metrics(),
                  durable: { .max }, onPlanned: { _ in })
    }

    /// A worker that also turns each enriched event into delivery jobs through `planner`, and
    /// calls `onPlanned` with the channels that got new jobs.
    /// `hold` says how long events wait when Preservica cannot be reached (their notifications are
    /// kept in `<dataDir>/held/`); `clock` measures the hold and times the loop's wake-ups.
    init(directory: String, entities: EntityClient?, planner: CardPlanner?, logger: Logger, metrics: Metrics,
         hold: HoldPolicy? = HoldPolicy(), clock: any RelayClock = SystemClock(), entityTypes: Set<String>? = ["IO"],
         spooled: SpooledNotifications? = nil,
         durable: @escaping @Sendable () -> UInt64, onPlanned: @escaping @Sendable ([String]) -> Void) {
        self.spooled = spooled
        self.entityTypes = entityTypes
        // Without a planner nothing is held. Without Preservica nothing new is held either (no
        // event is "unavailable"), but holds from before are still read, and sent on as they are.
        self.hold = planner != nil ? hold : nil
        holds = HoldDirectory(dataDirectory: (directory as NSString).deletingLastPathComponent)
        self.clock = clock
        self.durable = durable
        self.metrics = metrics
        self.directory = directory
        self.entities = entities
        self.planner = planner
        self.onPlanned = onPlanned
        self.logger = logger
    }

    /// Asks the loop to look at the journal now.
    public func notify() { wakeup.signal() }

    /// The most recent enrichment results (newest last, at most 100), for the status page and tests.
    public var recent: [EnrichedAsset] { processed.withLock { Array($0.suffix(100)) } }

    /// The notifications with events waiting for Preservica, oldest first.
    /// Whether the event is listed in a hold on disk: a retry that planned it has not yet rewritten
    /// the hold, so its card must wait (after a crash the hold would plan it again).
    public func withholds(sequence: UInt64, event: Int) -> Bool {
        held.withLock { $0[sequence]?.events.contains(event) ?? false }
    }

    public var heldNotifications: [HeldNotification] { held.withLock { $0.values.sorted { $0.sequence < $1.sequence } } }

    /// How many events wait for Preservica.
    public var heldEventCount: Int { held.withLock { $0.values.reduce(0) { $0 + $1.events.count } } }

    /// Reads the journal until the task is cancelled, and then stops after the event in progress.
    public func run() async {
        // Holds first: until the cursor is read, no job may go out (nothing counts as planned),
        // and from then on a job of an event a hold still lists waits for it.
        if hold != nil {
            let found = holds.load(now: clock.now())
            for (file, moved) in found.damaged {
                logger.error("a held notification cannot be read; its events get no card", [
                    "file": file, "movedTo": moved ?? "not moved: it stays where it is",
                ])
            }
            for file in found.unavailable {
                logger.error("a held notification cannot be opened now; it is read at the next start", ["file": file])
            }
            var loaded = found.holds
            // Without Preservica there is nothing to wait for: they go on at once.
            if entities == nil { for index in loaded.indices { loaded[index].nextAttempt = min(loaded[index].nextAttempt, clock.now()) } }
            held.withLock { state in for entry in loaded { state[entry.sequence] = entry } }
            if !loaded.isEmpty { logger.info("resuming held events", ["notifications": String(loaded.count)]) }
        }
        guard var cursor = await openCursor() else { return }
        let feed = IncomingFeed(directory: directory, spooled: spooled, after: cursor.taken)
        var backlog: [(record: JournalRecord, parsed: WebhookNotification?)] = []
        while !Task.isCancelled {
            cursor.recordIfDue()
            while !Task.isCancelled {
                // Topped up before every batch: what arrived while the last one was enriched is
                // taken now, not at a wake-up that may have been spent already.
                if backlog.count < Self.batchSize {
                    backlog += feed.next(durable: durable(), limit: Self.batchSize - backlog.count).map(accepted)
                }
                if backlog.isEmpty { break }
                // Several notifications are enriched at once (the connection still bounds the
                // requests in flight); their cards are then queued strictly in journal order.
                let taken = backlog.prefix(Self.batchSize)
                let batch = taken.map(\.record)
                let parsed = taken.map(\.parsed)
                let prepared = await prepareAll(batch, parsed: parsed)
                // Stopped or reloading while enriching: leave the batch for the next pipeline rather
                // than send cards built from cut-short lookups.
                if Task.isCancelled { break }
                var failed = false
                var planned: Set<String> = []
                var done = 0
                var lines = AuditLines()
                for (record, ready) in zip(batch, prepared) {
                    do {
                        if let ready {
                            planned.formUnion(try queueCards(ready, record: record, audit: &lines))
                            // Counted once taken for good: a batch the outbox refused is prepared again.
                            if !ready.resumedHold { metrics.increment("preservica_relay_events_total", [("trigger", MetricLabel.trigger(ready.notification.trigger))],
                                              by: Double(ready.notification.events.count)) }
                        }
                    } catch {
                        // The outbox could not be written: keep the record and try again at the next wake-up.
                        logger.error("cannot queue cards; will try again", ["seq": String(record.sequence), "error": "\(error)"])
                        failed = true
                        break
                    }
                    done += 1
                }
                backlog.removeFirst(done)
                // The batch's audit lines, with one append, before its jobs can be delivered.
                planner?.record(lines)
                if done > 0 {
                    cursor.advance(to: batch[done - 1].sequence, jobs: !planned.isEmpty || !held.withLock({ $0.isEmpty }))
                    if !planned.isEmpty { onPlanned(Array(planned)) }
                }
                if failed { break }
                // A steady stream keeps this loop going: held events whose time has come are
                // asked about between batches, not only once it ends.
                if heldDue() { await retryHeld() }
                // A batch that needed no lookup never suspends: let the deliverers, the console and
                // the rest of the cooperative pool (two threads on two cores) run between batches.
                await Task.yield()
            }
            if !Task.isCancelled { await retryHeld() }
            // Wake for the next held retry, for a cursor write that waits, and every few seconds
            // anyway in case a wake-up was missed.
            await wakeup.wait(upTo: min(nextWake(), cursor.untilDue ?? .seconds(5)), on: clock)
        }
        cursor.recordIfWaiting()
    }

    /// A notification just taken from the journal, with its parse (the receiver's, else read from
    /// its body now, once), after its "notification accepted" line. The line is written here, not
    /// where the 200 was given: a log that blocks (a full pipe to a collector that stopped) then
    /// holds up the pipeline, never receiving.
    private func accepted(_ taken: (record: JournalRecord, parsed: WebhookNotification?))
        -> (record: JournalRecord, parsed: WebhookNotification?) {
        let notification = taken.parsed ?? (try? WebhookNotification.parse(taken.record.body))
        logger.info("notification accepted", [
            "seq": String(taken.record.sequence), "trigger": taken.record.metadata.trigger, "events": String(taken.record.metadata.events),
            "subscription": notification?.subscriptionId ?? "", "entity": notification?.events.first?.entityRef ?? "",
        ])
        return (taken.record, notification)
    }

    /// When a hold of `attempts` attempts is next asked about: after the policy's backoff, and as
    /// ``HoldPolicy/attemptTime(_:waitEnds:heldSince:now:)`` says for Preservica's `Retry-After`.
    private func nextAttempt(after now: Date, attempts: Int, heldSince: Date, policy: HoldPolicy) -> Date {
        let backoff = now.addingTimeInterval(HoldPolicy.seconds(policy.delay(afterAttempts: attempts)))
        let waitEnds = entities?.connection.retryAfterLeft.map { now.addingTimeInterval(HoldPolicy.seconds($0)) }
        return policy.attemptTime(backoff, waitEnds: waitEnds, heldSince: heldSince, now: now)
    }

    /// Whether a held notification is due to be asked about again.
    private func heldDue() -> Bool {
        guard hold != nil else { return false }
        let now = clock.now()
        return held.withLock { state in state.values.contains { $0.nextAttempt <= now } }
    }

    /// How long to sleep: until the earliest held retry, at most 5 s.
    private func nextWake() -> Duration {
        let earliest = held.withLock { $0.values.map(\.nextAttempt).min() }
        guard let earliest else { return .seconds(5) }
        let seconds = min(5, max(0.01, earliest.timeIntervalSince(clock.now())))
        return .milliseconds(Int64(seconds * 1000))
    }

    /// How many notifications are enriched together.
    static let batchSize = 32

    /// A notification with its events enriched, ready for its cards.
    struct Prepared: Sendable {
        var record: JournalRecord
        var notification: WebhookNotification
        /// The events taken, with their position in the notification (which names their jobs).
        var events: [(index: Int, event: WebhookEvent)]
        var results: [EnrichedAsset]
        /// Taken before a restart and held then: its events were counted and are retried from held/.
        var resumedHold = false
    }

    /// Plans the cards of the events that are ready and holds the ones Preservica could not
    /// describe; the hold is on disk before this returns, so the cursor may then move past it.
    /// Writes the jobs of one notification and returns the channels that got one. The caller wakes
    /// them only after the cursor has moved past the notification: the deliverer takes no job of a
    /// notification still being planned, so planning it again after a crash rewrites its jobs
    /// instead of posting them twice.
    private func queueCards(_ prepared: Prepared, record: JournalRecord, audit lines: inout AuditLines) throws -> Set<String> {
        guard let planner else { return [] }
        if held.withLock({ $0[record.sequence] != nil }) {
            // Taken before a restart that came before the cursor moved: its ready events were
            // planned then, and the held ones are retried from held/.
            return []
        }
        var channels: Set<String> = []
        var waiting: [(index: Int, event: WebhookEvent, problem: String)] = []
        let heldBefore = heldRefs(before: record.sequence)
        for ((index, event), enriched) in zip(prepared.events, prepared.results) {
            // Held only when some route could take it: an event no route takes whatever
            // Preservica says goes on at once, counted as unrouted.
            if let hold, hold.holdFor > .zero, planner.mayRoute(trigger: prepared.notification.trigger, entityType: event.entityType) {
                if enriched.unavailable {
                    waiting.append((index, event, enriched.problems.first ?? "Preservica unavailable"))
                    continue
                }
                // An earlier event about the same asset is held: this one waits behind it, or its
                // card (a move, say) would go out before the ingest it follows.
                if heldBefore.contains(event.entityRef) {
                    waiting.append((index, event, Self.behindHold))
                    continue
                }
            }
            channels.formUnion(try planner.plan(sequence: record.sequence, eventIndex: index, notification: prepared.notification,
                                                event: event, asset: enriched, receivedAt: record.metadata.receivedAt, audit: &lines))
        }
        if let hold, !waiting.isEmpty {
            let start = clock.now()
            let entry = HeldNotification(sequence: record.sequence, receivedAt: record.metadata.receivedAt, body: record.body,
                                         events: waiting.map(\.index), refs: waiting.map(\.event.entityRef), heldSince: start,
                                         attempts: 1, problem: waiting[0].problem,
                                         nextAttempt: nextAttempt(after: start, attempts: 1, heldSince: start, policy: hold))
            try holds.save(entry)
            held.withLock { $0[record.sequence] = entry }
            logger.warning("Preservica unavailable; events held and retried", [
                "seq": String(record.sequence), "events": String(waiting.count), "problem": entry.problem,
                "holdFor": DurationText.format(hold.holdFor),
            ])
        }
        return channels
    }

    /// Asks Preservica again about the held events whose time has come. An event that is now
    /// described, or unknown (404), or held for `holdFor`, gets its cards; the rest wait longer.
    private func retryHeld() async {
        guard let hold, let planner else { return }
        let due = held.withLock { state in state.values.filter { $0.nextAttempt <= clock.now() }.sorted { $0.sequence < $1.sequence } }
        for var entry in due {
            guard !Task.isCancelled else { return }
            guard let notification = try? WebhookNotification.parse(entry.body) else {
                // It was read when it was held: only a relay that reads notifications otherwise
                // meets this. The hold goes to corrupt/ for an operator, with the reason.
                let moved = holds.setAside(entry.sequence)
                logger.error("a held notification cannot be read; its events get no card", [
                    "seq": String(entry.sequence), "movedTo": moved ?? "not moved: it stays where it is",
                ])
                held.withLock { $0[entry.sequence] = nil }
                continue
            }
            let events = entry.events.filter { notification.events.indices.contains($0) }.map { ($0, notification.events[$0]) }
            // Preservica no longer configured (credentials taken away at a reload): sent on with
            // what the events say, as any event is without credentials.
            let results = if let entities { await enrich(events.map(\.1), with: entities) } else { Self.bare(events.map(\.1)) }
            // Stopped while asking: the answers may be cut short; the next pipeline asks again.
            guard !Task.isCancelled else { return }
            metrics.increment("preservica_relay_enrichment_retries_total", by: Double(events.count))
            let expired = hold.expired(since: entry.heldSince, now: clock.now())
            var still: [Int] = []
            var channels: Set<String> = []
            var answered = false
            let heldBefore = heldRefs(before: entry.sequence)
            for ((index, event), enriched) in zip(events, results) {
                if enriched.unavailable && !expired {
                    still.append(index)
                    entry.problem = enriched.problems.first ?? entry.problem
                    continue
                }
                if heldBefore.contains(event.entityRef) {
                    // An earlier event about this asset is still held: in order, behind it.
                    still.append(index)
                    continue
                }
                do {
                    channels.formUnion(try planner.plan(sequence: entry.sequence, eventIndex: index, notification: notification,
                                                        event: event, asset: enriched, receivedAt: entry.receivedAt))
                } catch {
                    logger.error("cannot queue cards; will try again", ["seq": String(entry.sequence), "error": "\(error)"])
                    still.append(index)
                    continue
                }
                remember(enriched)
                answered = answered || !enriched.unavailable
                if enriched.unavailable {
                    metrics.increment("preservica_relay_holds_expired_total")
                    logger.warning("hold expired; the card goes out with what could be read", [
                        "seq": String(entry.sequence), "entity": event.entityRef, "attempts": String(entry.attempts + 1),
                    ])
                } else {
                    logger.info("held event enriched", ["seq": String(entry.sequence), "entity": event.entityRef,
                                                        "attempts": String(entry.attempts + 1)])
                }
            }
            entry.attempts += 1
            // The hold on disk is rewritten before the cards of the events planned now may go out
            // (they wait while the hold in memory lists them): after a crash before that, the
            // hold plans them again, under the same job names, and nothing was posted twice.
            if still.isEmpty {
                if holds.remove(entry.sequence) {
                    held.withLock { $0[entry.sequence] = nil }
                    keptBack.withLock { _ = $0.remove(entry.sequence) }
                } else {
                    keepListed(entry)
                }
            } else {
                entry.refs = still.map { notification.events[$0].entityRef }
                entry.events = still
                entry.nextAttempt = nextAttempt(after: clock.now(), attempts: entry.attempts, heldSince: entry.heldSince, policy: hold)
                do {
                    try holds.save(entry)
                    held.withLock { $0[entry.sequence] = entry }
                    keptBack.withLock { _ = $0.remove(entry.sequence) }
                } catch {
                    logger.error("cannot record held events", ["seq": String(entry.sequence), "error": "\(error)"])
                    keepListed(entry)
                }
            }
            if answered {
                // Preservica answers again: ask about everything else held now rather than at its turn.
                let moment = clock.now()
                // Not the holds kept back for their files: asked again at once, they would be
                // planned again and again.
                let waiting = keptBack.withLock { $0 }
                held.withLock { state in
                    for key in state.keys where !waiting.contains(key) {
                        state[key]!.nextAttempt = min(state[key]!.nextAttempt, moment)
                    }
                }
            }
            if !channels.isEmpty { onPlanned(Array(channels)) }
        }
    }

    /// What a card says of `events` without Preservica: only what the events themselves say.
    private static func bare(_ events: [WebhookEvent]) -> [EnrichedAsset] {
        events.map { event in
            var bare = EnrichedAsset(ref: event.entityRef, asset: nil, path: [], bitstreams: [], identifiers: [],
                                     notFound: false, problems: ["no Preservica credentials configured"])
            bare.entityType = event.entityType
            return bare
        }
    }

    /// Why an event waits that Preservica did describe.
    static let behindHold = "waits for an earlier event about the same asset, which is held"

    /// The assets that holds of notifications before `sequence` still list: read once per
    /// notification, not once per event (during an outage there can be thousands of holds).
    private func heldRefs(before sequence: UInt64) -> Set<String> {
        held.withLock { state in
            var refs = Set<String>()
            for entry in state.values where entry.sequence < sequence { refs.formUnion(entry.refs) }
            return refs
        }
    }

    /// A hold whose file could not be rewritten or removed: the events it lists on disk stay
    /// listed in memory too (so their cards wait), and it is tried again in a few seconds.
    private func keepListed(_ entry: HeldNotification) {
        keptBack.withLock { _ = $0.insert(entry.sequence) }
        held.withLock { state in
            guard var kept = state[entry.sequence] else { return }
            kept.nextAttempt = clock.now().addingTimeInterval(5)
            kept.attempts = entry.attempts
            state[entry.sequence] = kept
        }
    }

    private func enrich(_ events: [WebhookEvent], with entities: EntityClient) async -> [EnrichedAsset] {
        let known = events.map { event in event.identifiers.map { $0.map { EntityIdentifier(type: $0.type, value: $0.value) } } }
        return await entities.enrich(entities: events.map { ($0.entityRef, $0.entityType) }, knownIdentifiers: known)
    }

    /// The cursor as its file says. While the file is there but cannot be read (out of file
    /// descriptors, say), nothing is planned: the worker says so once and tries again every 5 s,
    /// rather than start from 0 and post the journal again. Nil when stopped first.
    private func openCursor() async -> PipelineCursor? {
        var said = false
        while !Task.isCancelled {
            do {
                return try PipelineCursor(directory: directory, clock: clock, logger: logger) { self.position.store($0, ordering: .relaxed) }
            } catch {
                if !said { logger.error("cannot read the pipeline's cursor; nothing is planned until it can be", ["error": error.message]) }
                said = true
                await wakeup.wait(upTo: .seconds(5), on: clock)
            }
        }
        return nil
    }

    /// Enriches a batch: the notifications that ask Preservica anything are asked about together
    /// (the connection still bounds the requests in flight). A batch that asks nothing (every
    /// event of a type no route takes, or no Preservica configured) is prepared in place, without
    /// a task per notification.
    private func prepareAll(_ batch: [JournalRecord], parsed received: [WebhookNotification?]) async -> [Prepared?] {
        // Each body read once: the receiver's parse when it kept one, else the journal's bytes.
        let parsed = zip(batch, received).map { record, notification in notification ?? (try? WebhookNotification.parse(record.body)) }
        // An event about a folder, whether or not a route takes it, means what is kept of that
        // folder may be out of date (a move changes the path, and so the routes, of all it holds).
        // Dropped for the whole batch before any of it is enriched: an ingest into the folder in
        // the same batch must not read it as it was.
        if let entities {
            for event in parsed.compactMap({ $0 }).flatMap(\.events) where event.entityType == "SO" {
                await entities.forgetFolder(event.entityRef)
            }
        }
        let asks = entities != nil && parsed.contains { notification in
            guard let notification else { return true }
            return notification.events.contains { entityTypes?.contains($0.entityType) ?? true }
        }
        guard asks else {
            var results: [Prepared?] = []
            for (record, notification) in zip(batch, parsed) { results.append(await prepare(record, parsed: notification)) }
            return results
        }
        return await withTaskGroup(of: (Int, Prepared?).self) { group in
            for (index, record) in batch.enumerated() {
                group.addTask { (index, await self.prepare(record, parsed: parsed[index])) }
            }
            var results = [Prepared?](repeating: nil, count: batch.count)
            for await (index, result) in group { results[index] = result }
            return results
        }
    }

    /// Enriches the events of one notification; `parsed` is its parse, nil when it cannot be read.
    private func prepare(_ record: JournalRecord, parsed: WebhookNotification?) async -> Prepared? {
        guard let notification = parsed else {
            // Accepted, so once read (by another version of the relay): kept in refused/ with its
            // receipt, for an operator, rather than lost with the skip.
            let reason = Self.parseProblem(record.body)
            let outcome = await RefusedNotifications(dataDirectory: (directory as NSString).deletingLastPathComponent)
                .keep(body: record.body, reason: "spooled as sequence \(record.sequence), but cannot be read: " + reason,
                      peer: record.metadata.peer, secretIndex: record.metadata.secretIndex, receivedAt: record.metadata.receivedAt)
            logger.error("spooled notification cannot be read; skipped", ["seq": String(record.sequence), "kept": outcome.text])
            return nil
        }
        if held.withLock({ $0[record.sequence] != nil }) {
            return Prepared(record: record, notification: notification, events: [], results: [], resumedHold: true)
        }
        // The routes decide which entity types matter (an `SO` route takes folder events); the
        // rest are not looked up at all.
        let taken = notification.events.enumerated().filter { entityTypes?.contains($0.element.entityType) ?? true }
            .map { (index: $0.offset, event: $0.element) }
        let assets = taken.map(\.event)
        for event in notification.events where !(entityTypes?.contains(event.entityType) ?? true) {
            logger.debug("no route takes this entity type; event skipped",
                         ["seq": String(record.sequence), "type": event.entityType, "entity": event.entityRef])
        }
        let started = clock.instant()
        let results: [EnrichedAsset]
        if let entities {
            results = await enrich(assets, with: entities)
        } else {
            // Without credentials the card still goes out, with what the event itself says.
            results = Self.bare(assets)
        }
        // Stopped or reloading: the batch is left for the next pipeline, so lookups cut short say nothing.
        if Task.isCancelled { return nil }
        let elapsed = clock.instant() - started
        if entities != nil && !assets.isEmpty {
            metrics.observe("preservica_relay_enrichment_duration_seconds",
                            elapsed.seconds)
        }
        for enriched in results {
            let result = enriched.notFound ? "not_found" : enriched.unavailable ? "unavailable" : enriched.problems.isEmpty ? "ok" : "failed"
            if entities != nil { metrics.increment("preservica_relay_enrichments_total", [("result", result)]) }
            remember(enriched)
            if enriched.notFound {
                logger.repeating(.warning, "asset not found in Preservica; the card goes out without enrichment", key: "",
                                 ["seq": String(record.sequence), "entity": enriched.ref])
            } else if entities == nil {
                // Said once at start-up ("no Preservica credentials; events will not be enriched").
                logger.debug("asset not enriched: no Preservica credentials", ["seq": String(record.sequence), "entity": enriched.ref])
            } else if !enriched.problems.isEmpty {
                logger.repeating(.warning, "asset partly enriched", key: "",
                                 ["seq": String(record.sequence), "entity": enriched.ref, "problems": enriched.problems.joined(separator: "; ")])
            } else {
                logger.info("asset enriched", [
                    "seq": String(record.sequence), "trigger": notification.trigger, "entity": enriched.ref,
                    "bitstreams": String(enriched.bitstreams.count), "depth": String(enriched.path.count),
                    "ms": String(elapsed.wholeMilliseconds),
                ])
            }
        }
        return Prepared(record: record, notification: notification, events: taken, results: results)
    }

    /// Why `body` is not a notification.
    private static func parseProblem(_ body: [UInt8]) -> String {
        do {
            _ = try WebhookNotification.parse(body)
            return "unknown"
        } catch {
            return error.message
        }
    }

    private func remember(_ enriched: EnrichedAsset) {
        processed.withLock { list in
            list.append(enriched)
            // Let it grow to twice the 100 kept and cut it back at once, not by one on every event.
            if list.count >= 200 { list.removeFirst(list.count - 100) }
        }
    }
}
