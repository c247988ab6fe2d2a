import Foundation
import ChatTargets
import JSON
import OutboundHTTP

/// Posts the outbox, one loop per channel so each channel keeps its order and its own pace.
///
/// Per attempt: wait for the channel's token bucket, send through the ``ChatTransport``, read the
/// reply through the channel's ``ChatTarget``. Delivered jobs are removed; throttling, 5xx and
/// network errors are retried with exponential backoff and full jitter (``RetryBackoff``: base 1 s,
/// cap 5 min), honouring `Retry-After`; a permanent refusal, too many attempts or too old a job goes
/// to `dead/` with the last reply. Every wait and timestamp goes through the injected ``RelayClock``.
public final class Deliverer: Sendable {
    private let channels: [ChannelSettings]
    private let outbox: Outbox
    private let audit: AuditLog
    private let logger: Logger
    private let transport: any ChatTransport
    private let clock: any RelayClock
    private let backoff: RetryBackoff
    private let wakeups: [String: Wakeup]
    private let planner: CardPlanner?
    /// The last notification the pipeline has finished planning: a job of a later one waits.
    private let released: @Sendable () -> UInt64
    /// Whether an event (journal sequence, index in its notification) is still listed in a hold
    /// on disk: its card, planned by a retry whose hold is not yet rewritten, waits, since after a
    /// crash the hold would plan it again.
    private let withheld: @Sendable (UInt64, Int) -> Bool
    private let metrics: Metrics
    private let status: RelayStatus
    private let unwrittenJobs: UnwrittenJobsStore
    private let paceStore: PaceStore
    private let gones: GoneStore

    /// A deliverer for `channels`, over the outbox in `dataDirectory`.
    public convenience init(channels: [ChannelSettings], dataDirectory: String, logger: Logger) {
        self.init(channels: channels, dataDirectory: dataDirectory, planner: nil, logger: logger, metrics: Metrics(), status: RelayStatus())
    }

    /// A deliverer that also folds digest buffers through `planner` when their window closes,
    /// posting through `transport` and timing everything on `clock`. `unwrittenJobs` carries what
    /// the deliverer before a reload knew of jobs it could not write.
    init(channels: [ChannelSettings], dataDirectory: String, planner: CardPlanner?, logger: Logger, metrics: Metrics, status: RelayStatus,
         clock: any RelayClock = SystemClock(), transport: any ChatTransport = OutboundClient.chatServices(),
         backoff: RetryBackoff = RetryBackoff(), released: @escaping @Sendable () -> UInt64 = { .max },
         withheld: @escaping @Sendable (UInt64, Int) -> Bool = { _, _ in false }, unwrittenJobs: UnwrittenJobsStore = UnwrittenJobsStore(),
         paces: PaceStore = PaceStore(), gones: GoneStore = GoneStore()) {
        self.gones = gones
        self.unwrittenJobs = unwrittenJobs
        paceStore = paces
        self.planner = planner
        self.released = released
        self.withheld = withheld
        self.metrics = metrics
        self.status = status
        self.channels = channels
        self.clock = clock
        self.transport = transport
        self.backoff = backoff
        outbox = Outbox(dataDirectory: dataDirectory)
        audit = AuditLog(dataDirectory: dataDirectory)
        self.logger = logger
        wakeups = Dictionary(uniqueKeysWithValues: channels.map { ($0.name, Wakeup()) })
    }

    /// Runs one loop per channel, as children of one task group, until the task is cancelled; each
    /// loop ends after the attempt in progress. Jobs already in the outbox (from before a restart) go first.
    public func run() async {
        await withDiscardingTaskGroup { group in
            for channel in channels {
                group.addTask { [self] in await run(channel) }
            }
        }
    }

    /// Wakes the loop of `channel` (a new job is waiting).
    public func notify(_ channel: String) { wakeups[channel]?.signal() }

    private func run(_ channel: ChannelSettings) async {
        let kind = channel.type
        guard let destination = channel.destination, let scope = channel.paceScope, let wakeup = wakeups[channel.name] else { return }
        // Kept across reloads, so a new loop does not start with a full bucket, and shared by the
        // channels the service counts together (one Matrix account, one Google Chat space).
        let bucket = paceStore.bucket(for: scope, paces: kind.paces(rateLimit: channel.rateLimit), clock: clock)
        // What the channel's loop before a reload could not write is still so.
        var unwritten = unwrittenJobs.take(channel.name)
        // Learnt from the service's first refusal (a Discord forum channel): every card starts a thread.
        var startsThreads = false
        // Where the service says the channel's address no longer takes posts, its cards wait: kept
        // across reloads while the address stays the same, and ended by a test card that goes through.
        let address = GoneStore.address(of: channel)
        gones.begin(channel.name, at: address, nowMs: clock.nowMs)
        defer { unwrittenJobs.keep(unwritten, for: channel.name) }
        planner?.finishFolds(channel: channel.name)
        for copy in outbox.finishMoves(channel: channel.name) {
            logger.info("a copy left by a move to or from dead/ cut short removed", ["channel": channel.name, "file": copy])
        }
        while !Task.isCancelled {
            var now = clock.nowMs
            let digestDue = planner?.digestDue(channel: channel.name)
            if let digestDue, digestDue <= now {
                do {
                    let flush = try planner?.flushDigest(channel: channel.name, now: now, released: released(), withheld: withheld)
                    if let flush, flush.waiting && !flush.flushed {
                        // An asset in it is from a notification still being planned; the worker
                        // wakes this loop when it has moved its cursor.
                        await wakeup.wait(upTo: .milliseconds(200), on: clock)
                    }
                } catch {
                    logger.error("cannot fold the digest; will try again", ["channel": channel.name, "error": "\(error)"])
                    await wakeup.wait(upTo: .seconds(5), on: clock)
                }
                continue
            }
            // Not while a card refused for good waits to be moved to dead/: a fold would post it again.
            if channel.digest != nil, unwritten.dead.isEmpty,
               (try? planner?.foldBacklog(channel: channel.name, now: clock.now(), released: released(), withheld: withheld)) == true { continue }
            let corrupt: (String) -> Void = { [logger, metrics] moved in
                logger.error("a delivery job could not be read; moved aside and the channel goes on", ["channel": channel.name, "file": moved])
                metrics.increment("preservica_relay_corrupt_files_total", [("channel", channel.name)])
            }
            let unavailable = { [logger] (reason: String) in
                logger.repeating(.error, "a delivery job cannot be opened now; the channel tries again shortly", key: channel.name,
                                 ["channel": channel.name, "error": reason])
            }
            guard var job = outbox.oldest(channel: channel.name, onCorrupt: corrupt, onUnavailable: unavailable) else {
                // Nothing waiting: sleep until a job arrives, the digest window closes, or a periodic look.
                let wait = digestDue.map { Duration.milliseconds(max(1, min($0 - now, 5000))) } ?? .seconds(5)
                await wakeup.wait(upTo: wait, on: clock)
                continue
            }
            if let unmoved = unwritten.dead[job.name] {
                // Failed for good, but dead/ could not be written: never posted again; moved once it can be.
                do {
                    try outbox.bury(unmoved.job)
                    unwritten.dead[job.name] = nil
                    recordDead(unmoved.job, channel: channel, reason: unmoved.reason)
                } catch {
                    logger.repeating(.error, "cannot move a job to dead/; it is not posted again, and moving it is tried again shortly",
                                     key: channel.name, ["channel": channel.name, "job": unmoved.job.id, "error": "\(error)"])
                    await wakeup.wait(upTo: .seconds(5), on: clock)
                }
                continue
            }
            // A rewrite that failed: its attempts and next attempt count, not the file's older ones.
            if let kept = unwritten.retries[job.name] { job = kept }
            if !job.target.isEmpty && job.target != kind.rawValue {
                // Made for another service before a reload changed the channel's type (a curator
                // moving a gone Teams channel to Slack, say): made again from its model for this one.
                if let planner, job.model != nil {
                    if let remade = planner.remade(job, for: channel.name) {
                        save(remade, unwritten: &unwritten)
                        logger.info("a card made before the channel's type changed is made again for its service now",
                                    ["channel": channel.name, "job": job.id, "from": job.target, "to": kind.rawValue])
                    } else {
                        // The channel's template gives no card for it now: not posted, as planning would skip it.
                        outbox.remove(job)
                        unwritten.retries[job.name] = nil
                        audit.record("skipped", job.auditFields(channel: channel) + [("reason", .string(CardPlanner.noCard))])
                    }
                    continue
                }
                // One kept without its model (by an older relay): its envelope means nothing to
                // this service. Kept in dead/ with why, never posted.
                bury(job, channel: channel, reason: "made for \(job.target) before the channel's type changed to \(kind.rawValue); "
                     + "it cannot be sent as it is", unwritten: &unwritten)
                continue
            }
            if !job.isAllowed(by: channel.securityTags) {
                if !job.items.isEmpty {
                    // A digest made under a security policy the channel no longer has: not posted,
                    // and kept in dead/ (its other assets' cards are in it) for a person to look at.
                    bury(job, channel: channel, reason: CardPlanner.policyChanged + "; the digest is kept here, not posted",
                         unwritten: &unwritten)
                    continue
                }
                // Planned under a security policy the channel no longer has (a reload denied
                // the tag, or hides it now): not posted.
                outbox.remove(job)
                unwritten.retries[job.name] = nil
                audit.record("skipped", job.auditFields(channel: channel) + [("reason", .string(CardPlanner.policyChanged))])
                logger.info("a queued card is not posted: the channel's security policy changed",
                            ["channel": channel.name, "job": job.id, "securityTag": job.security?.securityTag ?? ""])
                continue
            }
            if let sequence = Self.sequence(of: job), sequence > released() || Self.eventIndex(of: job).map({ withheld(sequence, $0) }) == true {
                // Its notification is still being planned, or its held event's hold not yet
                // rewritten: after a crash it would be planned again, so posting now could post it
                // twice. The worker wakes this loop when it is done.
                await wakeup.wait(upTo: .milliseconds(200), on: clock)
                continue
            }
            now = clock.nowMs
            if job.nextAttemptAt > now + Self.longestWaitMs {
                // No retry asks for this long: the clock was stepped back or the file edited. Waiting
                // would stall the whole channel behind this job, so it is due now.
                logger.warning("a delivery job's next attempt lies beyond any wait a retry asks for; trying it now",
                               ["channel": channel.name, "job": job.id, "waitSeconds": String((job.nextAttemptAt - now) / 1000)])
                var due = job
                due.nextAttemptAt = now
                remember(due, saved: (try? outbox.save(due)) != nil, in: &unwritten)
                continue
            }
            if job.nextAttemptAt > now {
                await wakeup.wait(upTo: .milliseconds(min(job.nextAttemptAt - now, 60_000)), on: clock)
                continue
            }
            if let gone = gones.gone(channel.name, at: address), gone.until > now {
                // The address is gone: nothing is posted (each card would only be refused again)
                // until the next try, a new address, a SIGHUP or a console test card that goes through.
                await wakeup.wait(upTo: .milliseconds(min(gone.until - now, 60_000)), on: clock)
                continue
            }
            await bucket.take()
            if Task.isCancelled { return }
            await attempt(job, channel: channel, kind: kind, destination: destination, startsThreads: &startsThreads,
                          address: address, unwritten: &unwritten)
        }
    }

    /// Keeps `job` in memory when its rewrite failed, and forgets it once one succeeded.
    private func remember(_ job: DeliveryJob, saved: Bool, in unwritten: inout UnwrittenJobs) {
        unwritten.retries[job.name] = saved ? nil : job
    }

    /// The journal sequence a job's name starts with (`000000000042-0003.json`), if it has one.
    static func sequence(of job: DeliveryJob) -> UInt64? {
        let digits = job.name.prefix { $0.isASCII && $0.isNumber }
        return digits.count == 12 ? UInt64(digits) : nil
    }

    /// The event index of a single card's job (`000000000042-0003.json` is event 3); nil for a
    /// digest, which gathers many.
    static func eventIndex(of job: DeliveryJob) -> Int? {
        let parts = job.name.dropLast(5).split(separator: "-")
        guard job.name.hasSuffix(".json"), parts.count == 2, parts[0].count == 12, parts[1].count == 4 else { return nil }
        return Int(parts[1])
    }

    /// The longest wait a retry can set: the backoff ceiling (5 min) or the longest `Retry-After`
    /// honoured (15 min), with a minute to spare.
    static let longestWaitMs: Int64 = 16 * 60 * 1000

    private func attempt(_ job: DeliveryJob, channel: ChannelSettings, kind: ChatTargetKind, destination: ChatDestination,
                         startsThreads: inout Bool, address: String, unwritten: inout UnwrittenJobs) async {
        let gone = gones.gone(channel.name, at: address)
        var job = job
        job.attempts += 1
        let target = kind.target
        var destination = destination
        if startsThreads { destination.threadName = job.title }
        let request = target.request(body: JSONWriter.bytes(job.payload), to: destination, deliveryId: job.deliveryId, timeout: .seconds(30))
        let outcome: DeliveryOutcome
        let started = clock.instant()
        defer { metrics.observe("preservica_relay_delivery_duration_seconds", (clock.instant() - started).seconds) }
        var pause: Duration?
        var throttled = false
        if channel.publicAddressesOnly, let problem = await ChannelAddressPolicy.problem(host: destination.url.host ?? "") {
            // Asked again at every card: the host was public when the channel was saved.
            outcome = .retry(after: nil, reason: problem)
            job.lastReply = problem
        } else {
            do {
                let reply = destination.scrub(try await transport.send(request))
                throttled = target.isThrottled(reply)
                outcome = target.outcome(of: reply, to: request)
                pause = target.pause(after: reply)
                job.lastReply = "HTTP \(reply.status) \(reply.text.prefix(300))"
            } catch {
                outcome = .retry(after: nil, reason: error.description)
                job.lastReply = error.description
            }
        }
        // Throttled: not a failure of the card, so not one of its maxAttempts.
        if throttled, case .retry = outcome {
            job.attempts -= 1
            job.throttles += 1
        }
        let fields = job.auditFields(channel: channel)
        if gone != nil {
            if case .gone = outcome {} else {
                // Any answer but gone: the address is there again (a 503 too). The cards kept through
                // the wait count their age from now.
                logger.info("the channel's address answers again", ["channel": channel.name, "host": channel.host])
                gones.cameBack(channel.name, at: address, nowMs: clock.nowMs)
            }
        }
        switch outcome {
        case .delivered:
            outbox.remove(job)
            unwritten.retries[job.name] = nil
            metrics.increment("preservica_relay_deliveries_total", [("channel", channel.name), ("outcome", "delivered")])
            status.record(channel: channel.name, job: job.id, outcome: "delivered", detail: String(job.lastReply.prefix(80)),
                          title: job.title, ref: job.ref)
            if let received = Timestamp.date(job.receivedAt.isEmpty ? job.createdAt : job.receivedAt) {
                metrics.observe("preservica_relay_event_to_card_seconds", clock.now().timeIntervalSince(received))
            }
            audit.record("delivered", fields)
            logger.info("card delivered", ["channel": channel.name, "host": channel.host, "job": job.id, "attempt": String(job.attempts)])
        case .retry(let after, let reason):
            let now = clock.now()
            // The time the channel's address was gone is not the card's age: counted from its return.
            var since = Timestamp.date(job.ageFrom) ?? now
            if let back = gones.backAtMs(channel.name, at: address) { since = max(since, Date(timeIntervalSince1970: Double(back) / 1000)) }
            let age = now.timeIntervalSince(since)
            if job.attempts >= channel.maxAttempts || age > channel.maxAge.seconds {
                let throttledToo = job.throttles > 0 ? " and \(job.throttles) throttled" : ""
                bury(job, channel: channel, reason: "gave up after \(job.attempts) attempt(s)\(throttledToo): \(reason)", unwritten: &unwritten)
                return
            }
            let wait = backoff.waitMs(afterAttempts: job.attempts + job.throttles, retryAfter: after)
            retry(job, in: wait, reason: reason, fields: fields, channel: channel, throttled: throttled, unwritten: &unwritten)
            logger.warning("card will be retried", ["channel": channel.name, "host": channel.host, "job": job.id,
                                                    "attempt": String(job.attempts), "reason": reason, "wait_ms": String(wait)])
        case .rejected(let reason):
            bury(job, channel: channel, reason: reason, unwritten: &unwritten)
        case .gone(let reason):
            // Not the card's fault, and not one of its attempts: it waits with the others.
            job.attempts -= 1
            let first = gone == nil
            let next = ChannelGone.after(gone, reason: reason, now: clock.nowMs)
            gones.record(next, for: channel.name, at: address)
            save(job, unwritten: &unwritten)
            audit.record("gone", fields + [("reason", .string(reason)), ("waitMs", .number(Double(next.waitMs)))])
            metrics.increment("preservica_relay_deliveries_total", [("channel", channel.name), ("outcome", "gone")])
            status.record(channel: channel.name, job: job.id, outcome: "gone", detail: reason, title: job.title, ref: job.ref)
            logger.repeating(.error, first ? "the service says this channel's address no longer takes cards; they wait until the channel gets a new one"
                             : "the channel's address still takes no cards; they wait", key: channel.name, [
                "channel": channel.name, "host": channel.host, "reason": reason, "waiting": String(outbox.pendingCount(channel: channel.name)),
                "nextTryMinutes": String(next.waitMs / 60_000),
            ])
        case .threadRequired(let reason):
            guard !startsThreads else {
                bury(job, channel: channel, reason: reason + ", though this card started one", unwritten: &unwritten)
                return
            }
            // The same card at once, as a thread of its own, and every card after it. Learning how
            // the channel takes cards is not one of the card's attempts.
            startsThreads = true
            job.attempts -= 1
            retry(job, in: 0, reason: reason, fields: fields, channel: channel, throttled: false, unwritten: &unwritten)
            logger.info("the channel is a Discord forum: each card starts a post of its own, named after it",
                        ["channel": channel.name, "host": channel.host, "job": job.id])
        case .invalidPayload(let reason):
            guard let fallback = job.fallback else {
                bury(job, channel: channel, reason: reason, unwritten: &unwritten)
                return
            }
            // The service refused the custom card's structure: the default card, once, at once.
            job.payload = fallback
            job.fallback = nil
            job.nextAttemptAt = 0
            save(job, unwritten: &unwritten)
            audit.record("fallback", fields + [("reason", .string(reason))])
            status.record(channel: channel.name, job: job.id, outcome: "retry", detail: reason)
            logger.warning("the service refused the card's structure; sending the default card instead",
                           ["channel": channel.name, "host": channel.host, "job": job.id, "reason": reason])
        }
        if let pause {
            // The service says its allowance is used up: wait for it rather than be throttled.
            logger.debug("pausing for the service's rate limit", ["channel": channel.name, "ms": String(pause.wholeMilliseconds)])
            try? await clock.sleep(for: pause)
        }
    }

    /// Keeps `job` for another attempt `waitMs` from now, and records the retry (audit line,
    /// metrics, the status page).
    private func retry(_ job: DeliveryJob, in waitMs: Int64, reason: String, fields: [(String, JSONValue)], channel: ChannelSettings,
                       throttled: Bool, unwritten: inout UnwrittenJobs) {
        var job = job
        job.nextAttemptAt = clock.nowMs + waitMs
        save(job, unwritten: &unwritten)
        audit.record("retry", fields + [("reason", .string(reason)), ("waitMs", .number(Double(waitMs)))])
        metrics.increment("preservica_relay_deliveries_total", [("channel", channel.name), ("outcome", "retry")])
        metrics.increment("preservica_relay_retries_total", [("channel", channel.name)])
        status.record(channel: channel.name, job: job.id, outcome: "retry", detail: reason, title: job.title, ref: job.ref,
                      throttled: throttled)
    }

    /// Rewrites a job for its next attempt; when the disk refuses, the loop keeps it in memory.
    private func save(_ job: DeliveryJob, unwritten: inout UnwrittenJobs) {
        do {
            try outbox.save(job)
            unwritten.retries[job.name] = nil
        } catch {
            unwritten.retries[job.name] = job
            logger.error("cannot update a delivery job; its next attempt is kept in memory", ["job": job.id, "error": "\(error)"])
        }
    }

    private func bury(_ job: DeliveryJob, channel: ChannelSettings, reason: String, unwritten: inout UnwrittenJobs) {
        var job = job
        // The service's own words (its reply body) stay with the dead letter.
        job.lastReply = job.lastReply.isEmpty || reason.contains(job.lastReply) ? reason : "\(reason); last reply: \(job.lastReply)"
        unwritten.retries[job.name] = nil
        do {
            try outbox.bury(job)
            recordDead(job, channel: channel, reason: reason)
        } catch {
            unwritten.dead[job.name] = (job, reason)
            logger.error("card failed for good, but cannot be moved to dead/ yet; it is not posted again", [
                "channel": channel.name, "host": channel.host, "job": job.id, "reason": reason, "error": "\(error)",
            ])
        }
    }

    /// Records a card moved to `dead/`: the audit line, metrics, the status page and the log, once
    /// the file is where they say.
    private func recordDead(_ job: DeliveryJob, channel: ChannelSettings, reason: String) {
        audit.record("dead", job.auditFields(channel: channel) + [("reason", .string(reason))])
        metrics.increment("preservica_relay_deliveries_total", [("channel", channel.name), ("outcome", "dead")])
        metrics.increment("preservica_relay_dead_letters_total", [("channel", channel.name)])
        status.record(channel: channel.name, job: job.id, outcome: "dead", detail: String(reason.prefix(200)), title: job.title, ref: job.ref)
        logger.error("card failed for good; kept in dead/", ["channel": channel.name, "host": channel.host, "job": job.id, "reason": reason])
    }
}
