import Foundation
import HTTPServer
import Preservica
import Synchronization

/// The running relay: spool, receiver, pipeline and HTTP server wired from one configuration.
public final class RelayService: Sendable {
    private let server: HTTPServer
    let core: RelayCore
    private let logger: Logger
    /// Counters, gauges and histograms served at `/metrics`.
    public let metrics = Metrics()
    /// What the status page at `/` shows.
    public let status = RelayStatus()
    /// The channels curators keep in the console (`<dataDir>/console/`), added to the file's.
    public let consoleChannels: ConsoleChannelStore
    /// The configuration as the file gave it, before the console's channels were added.
    private let fileConfiguration: Mutex<RelayConfiguration>
    private let reloads = ReloadSequence()
    private let handler: ConsoleMount
    private let consoleServer = Mutex<HTTPServer?>(nil)

    /// The configuration in force (it changes on ``reload(_:)``).
    public var configuration: RelayConfiguration { core.configuration }

    /// The names of the configuration file's own channels (a console channel of the same name is
    /// skipped: the name is the file's).
    public var fileChannelNames: [String] { fileConfiguration.withLock { $0.channels.map(\.name) } }
    /// The pipeline stage after the journal.
    public var worker: IncomingWorker { core.pipeline.worker }
    /// Posts the outbox to the chat channels.
    public var deliverer: Deliverer { core.pipeline.deliverer }
    /// The Entity API client of the configuration in force, shared with the pipeline (one sign-in,
    /// one token); a reload that changes the Preservica settings replaces it. Nil without usable
    /// credentials.
    public var entities: EntityClient? { core.pipeline.worker.entities }

    /// Opens the spool (repairing it after a crash) and prepares the server; nothing listens yet.
    public init(configuration file: RelayConfiguration, logger: Logger) throws(JournalError) {
        self.logger = logger
        let metrics = self.metrics
        let status = self.status
        let consoleChannels = ConsoleChannelStore(dataDirectory: file.dataDirectory)
        self.consoleChannels = consoleChannels
        fileConfiguration = Mutex(file)
        if let damage = consoleChannels.damage {
            logger.error("console channels skipped; the relay runs with the configuration file's channels", ["problem": damage.message])
        }
        let configuration = file.adding(console: consoleChannels.channels)
        for warning in configuration.warnings where !file.warnings.contains(warning) { logger.warning("configuration", ["detail": warning]) }
        let core = try RelayCore(configuration: configuration, logger: logger, metrics: metrics, status: status)
        self.core = core
        let journal = core.journal
        var router = core.receiver.router()
        let dataDirectory = configuration.dataDirectory
        let lastTaken: @Sendable () -> UInt64 = { core.pipeline.worker.lastTaken }
        Self.registerGauges(metrics, journal: journal, lastTaken: lastTaken, dataDirectory: dataDirectory)
        metrics.gauge("preservica_relay_held_events") { Double(core.pipeline.worker.heldEventCount) }
        metrics.gauge("preservica_relay_preservica_retry_after_seconds") {
            core.pipeline.worker.entities?.connection.retryAfterLeft?.seconds ?? 0
        }
        metrics.gauge("preservica_relay_held_oldest_seconds") {
            core.pipeline.worker.heldNotifications.map(\.heldSince).min().map { max(0, Date().timeIntervalSince($0)) } ?? 0
        }
        router.add("GET", "/metrics") { _ in
            HTTPResponse(status: 200, headers: ["Content-Type": "text/plain; version=0.0.4; charset=utf-8"],
                         body: Array(metrics.exposition().utf8))
        }
        router.add("GET", "/") { _ in
            let outbox = Outbox(dataDirectory: dataDirectory)
            let dead = outbox.recentDeadJobs(limit: StatusPage.deadShown)
            let counts = SpoolCounts(incoming: Int(max(0, Double(journal.lastSequence) - Double(lastTaken()))),
                                     outbox: SpoolCounts.outbox(dataDirectory: dataDirectory), dead: dead.total,
                                     refused: RefusedNotifications(dataDirectory: dataDirectory).count)
            let page = StatusPage.render(status: status, channels: core.configuration.channels, counts: counts, dead: dead.jobs,
                                         backlog: { outbox.pendingCount(channel: $0) }, links: core.configuration.preservica?.links,
                                         held: core.pipeline.worker.heldNotifications,
                                         preservicaWait: core.pipeline.worker.entities?.connection.retryAfterLeft,
                                         hold: core.configuration.preservica?.hold)
            // No script, no frame, nothing from elsewhere: the page shares its origin with the
            // console, so a slip in its escaping must not be able to run anything there.
            return HTTPResponse(status: 200, headers: [
                "Content-Type": "text/html; charset=utf-8", "X-Content-Type-Options": "nosniff",
                "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
            ], body: Array(page.utf8))
        }
        handler = ConsoleMount(router: router)
        server = HTTPServer(
            configuration: .init(host: configuration.listenHost, port: configuration.listenPort, limits: configuration.limits),
            handler: handler
        )
        if core.recoveredRecords > 0 {
            logger.info("spool recovered", ["records": String(core.recoveredRecords), "dir": configuration.dataDirectory])
        }
    }

    private static func registerGauges(_ metrics: Metrics, journal: IncomingJournal, lastTaken: @escaping @Sendable () -> UInt64,
                                       dataDirectory: String) {
        metrics.gauge("preservica_relay_journal_syncs_total") { Double(journal.syncCount) }
        metrics.gauge("preservica_relay_queue_depth", [("queue", "incoming")]) {
            max(0, Double(journal.lastSequence) - Double(lastTaken()))
        }
        metrics.gauge("preservica_relay_queue_depth", [("queue", "outbox")]) {
            Double(SpoolCounts.outbox(dataDirectory: dataDirectory))
        }
        metrics.gauge("preservica_relay_queue_depth", [("queue", "dead")]) {
            Double(SpoolCounts.dead(dataDirectory: dataDirectory))
        }
        metrics.gauge("preservica_relay_refused_notifications") {
            Double(RefusedNotifications(dataDirectory: dataDirectory).count)
        }
        metrics.gauge("preservica_relay_oldest_job_age_seconds") {
            let outbox = Outbox(dataDirectory: dataDirectory)
            let channels = (try? FileManager.default.contentsOfDirectory(atPath: outbox.outbox)) ?? []
            let oldest = channels.compactMap { outbox.oldest(channel: $0, movingDamaged: false).flatMap { Timestamp.date($0.createdAt) } }.min()
            // A clock stepped back must not give a negative age.
            return oldest.map { max(0, Date().timeIntervalSince($0)) } ?? 0
        }
    }

    /// Serves the console: at `/console/` on the relay's listener, or on `console.listen` when it
    /// is set (then the returned port is that listener's; nil means the relay's own). Call before
    /// or after ``start()``; a console save reloads the relay with the console's channels.
    @discardableResult
    public func mountConsole(_ console: any HTTPHandler) throws -> Int? {
        consoleChannels.onChange { [weak self] in await self?.applyConsoleChannels() }
        let settings = configuration.console
        guard let host = settings.listenHost, let port = settings.listenPort else {
            handler.mount(console)
            return nil
        }
        let server = HTTPServer(configuration: .init(host: host, port: port, limits: configuration.limits), handler: console)
        let bound = try server.start()
        consoleServer.withLock { $0 = server }
        logger.info("console listening", ["address": "\(host.contains(":") ? "[\(host)]" : host):\(bound)"])
        return bound
    }

    /// Reloads with the console's channels as they now are (the file's settings unchanged: the
    /// ones in force when its turn comes, so a save queued behind a SIGHUP cannot put back the
    /// file from before it).
    public func applyConsoleChannels() async {
        await reload(nil, rereadConsole: false)
    }

    /// Starts listening and the pipeline; returns the bound port.
    @discardableResult
    public func start() throws -> Int {
        let (configuration, pipeline) = core.running.withLock { ($0.configuration, $0.pipeline) }
        // Before anything is received or the time of this run written: where a catch-up starts.
        let catchUpSince = configuration.catchUpOnStart ? prepareCatchUp(configuration) : nil
        if !configuration.catchUpOnStart { PendingCatchUp.clear(configuration.dataDirectory) }
        let port = try server.start()
        pipeline.start(in: core.tasks)
        core.tasks.add { [logger] in await logger.runSummaries(clock: SystemClock()) }
        core.tasks.add { [dataDirectory = configuration.dataDirectory] in
            while !Task.isCancelled {
                LastRunning.record(dataDirectory)
                try? await Task.sleep(for: LastRunning.interval)
            }
        }
        let host = configuration.listenHost.contains(":") ? "[\(configuration.listenHost)]" : configuration.listenHost
        if let catchUpSince { startCatchUp(since: catchUpSince, dataDirectory: configuration.dataDirectory, port: port) }
        logger.info("listening", ["address": "\(host):\(port)", "webhook": configuration.webhookPath,
                                  "secrets": String(configuration.webhookSecrets.count), "dataDir": configuration.dataDirectory,
                                  "channels": String(configuration.channels.count), "routes": String(configuration.routes.count)])
        warnOfOrphanedQueues(configuration)
        return port
    }

    /// Says which queued cards nothing will send: their channel is no longer configured.
    private func warnOfOrphanedQueues(_ configuration: RelayConfiguration) {
        let outbox = Outbox(dataDirectory: configuration.dataDirectory)
        for (channel, cards) in outbox.orphanedQueues(configured: Set(configuration.channels.map(\.name))) {
            logger.warning("cards wait for a channel that is no longer configured; nothing sends them until it is added back", [
                "channel": channel, "cards": String(cards), "directory": outbox.outbox + "/" + channel,
            ])
        }
    }

    /// Where the catch-up of this start begins: a pending one's time, else when the relay last ran
    /// (``LastRunning``) or the last notification was received, whichever is later. Recorded in
    /// ``PendingCatchUp`` before the relay receives anything or writes the time of this run; nil
    /// when there is none to make.
    private func prepareCatchUp(_ configuration: RelayConfiguration) -> String? {
        guard configuration.preservica != nil else {
            logger.warning("catchUp.onStart needs Preservica credentials; skipped")
            return nil
        }
        let dataDirectory = configuration.dataDirectory
        // Both are the relay's own ISO 8601 form, so the later one is the greater text.
        let last = [core.lastReceivedAt, LastRunning.read(dataDirectory)].compactMap { $0 }.max()
        guard let since = PendingCatchUp.read(dataDirectory) ?? last else {
            logger.info("catch-up skipped: no notification received yet to catch up from")
            return nil
        }
        do {
            try PendingCatchUp.record(dataDirectory, since: since)
        } catch {
            logger.error("cannot record the catch-up under way; it is tried all the same", ["error": "\(error)"])
        }
        return since
    }

    /// Catches up from `since`, as a child of the pipeline's task group (``stop(gracePeriod:)``
    /// cancels it). A catch-up that has not gone through (Preservica answers, and the relay
    /// accepts every notification it makes) stays in ``PendingCatchUp`` and is tried again after
    /// 1, 2, 4, 8 and then every 15 minutes, each time with the configuration in force; a start
    /// that finds it catches up from its time, so a failure or a stop meanwhile loses no gap.
    private func startCatchUp(since: String, dataDirectory: String, port: Int) {
        let logger = self.logger
        core.tasks.add { [weak self] in
            var wait: Duration = .seconds(60)
            while !Task.isCancelled, let self {
                let current = self.configuration
                guard current.catchUpOnStart else {
                    // Turned off by a reload: not tried again.
                    PendingCatchUp.clear(dataDirectory)
                    return
                }
                do {
                    try await Self.catchUp(since: since, configuration: current, entities: self.entities, port: port, logger: logger)
                    PendingCatchUp.clear(dataDirectory)
                    return
                } catch {
                    logger.error("catch-up failed; tried again later, and at the next start if need be", [
                        "since": since, "error": "\(error)", "retryIn": DurationText.format(wait),
                    ])
                }
                try? await Task.sleep(for: wait)
                wait = min(wait * 2, .seconds(900))
            }
        }
    }

    /// One catch-up: asks Preservica, and sends what is new to this relay; throws unless every
    /// notification was accepted.
    /// `entities` is the pipeline's client for `configuration`: a retry signs in no more than it does.
    private static func catchUp(since: String, configuration: RelayConfiguration, entities: EntityClient?, port: Int,
                                logger: Logger) async throws {
        guard let settings = configuration.preservica, let entities else { throw CatchUpRefused.noCredentials }
        let catchUp = CatchUp(entities: entities, dataDirectory: configuration.dataDirectory, tenant: settings.credentials.tenant ?? "")
        let result = try await catchUp.pending(since: since)
        logger.info("catch-up", ["since": since, "changed": String(result.changed), "skipped": String(result.skipped),
                                 "deleted": String(result.deleted), "queued": String(result.queued.count)])
        guard !result.queued.isEmpty, let sender = CatchUpSender(configuration: configuration, port: port) else { return }
        let refused = try await sender.send(catchUp.notifications(for: result.queued)).filter { !(200..<300).contains($0) }
        if let status = refused.first { throw CatchUpRefused.refused(status: status, count: refused.count) }
    }

    /// A card a person sent from the console reached `channel`: if its address was gone, it takes
    /// cards again, and its loop tries the waiting cards at once.
    public func channelTookCard(_ name: String) {
        guard let channel = configuration.channels.first(where: { $0.name == name }) else { return }
        let address = GoneStore.address(of: channel)
        guard core.gones.gone(name, at: address) != nil else { return }
        core.gones.cameBack(name, at: address, nowMs: SystemClock().nowMs)
        deliverer.notify(name)
    }

    /// Applies a new configuration while running: webhook secrets, Preservica settings, channels,
    /// routes and templates take effect at once (the pipeline is rebuilt and resumes where the old
    /// one stopped). `listen`, `dataDir`, `webhook.path` and `limits` need a restart; changes to them
    /// are reported and ignored. Channels whose address was gone try their oldest card at once.
    public func reload(_ new: RelayConfiguration) async {
        await reload(new, rereadConsole: true)
    }

    /// `file` nil: the file configuration in force, read when this reload's turn comes.
    private func reload(_ newFile: RelayConfiguration?, rereadConsole: Bool) async {
        await reloads.run { [self] in
            let file = fileConfiguration.withLock { current in
                if let newFile { current = newFile }
                return current
            }
            if rereadConsole {
                consoleChannels.reload()
                // An operator's reload is also how a channel whose flow was turned on again is tried.
                core.gones.retryAll(nowMs: SystemClock().nowMs)
            }
            if let damage = consoleChannels.damage {
                if consoleChannels.channels.isEmpty {
                    logger.error("console channels skipped; the relay runs with the configuration file's channels", ["problem": damage.message])
                } else {
                    logger.error("the console's channel file cannot be read; the channels in force stay, and changes are refused until it is repaired",
                                 ["problem": damage.message])
                }
            }
            // Console channels keep the tags of the console settings in force: those change at a restart.
            await swap(file.adding(console: consoleChannels.channels, visibleTags: configuration.console.browseSecurityTags,
                                   allowPrivateURLs: configuration.console.allowPrivateChannelURLs),
                       rereadFile: rereadConsole)
            // At a reload of the file, not at each console save: a curator's deleted channel
            // keeps its queue on purpose, and would be named at every save of anyone's.
            if rereadConsole { warnOfOrphanedQueues(configuration) }
        }
    }

    private func swap(_ new: RelayConfiguration, rereadFile: Bool = true) async {
        let old = configuration
        var needsRestart: [String] = []
        if new.listenHost != old.listenHost || new.listenPort != old.listenPort { needsRestart.append("listen") }
        if new.dataDirectory != old.dataDirectory { needsRestart.append("dataDir") }
        if new.webhookPath != old.webhookPath { needsRestart.append("webhook.path") }
        if new.limits != old.limits { needsRestart.append("limits") }
        if new.console != old.console { needsRestart.append("console") }
        var applied = new
        applied.listenHost = old.listenHost
        applied.listenPort = old.listenPort
        applied.dataDirectory = old.dataDirectory
        applied.webhookPath = old.webhookPath
        applied.limits = old.limits
        applied.console = old.console
        await core.pipeline.stop()
        let pipeline = core.makePipeline(applied, logger: logger)
        core.verifiers.replace(with: WebhookVerifier(secrets: applied.webhookSecrets.map(\.reveal)))
        core.running.withLock { $0 = (applied, pipeline) }
        pipeline.start(in: core.tasks)
        pipeline.worker.notify()
        // At a reload of the file; a console save would only say them all again.
        if rereadFile { for warning in applied.warnings { logger.warning("configuration", ["detail": warning]) } }
        if !needsRestart.isEmpty {
            logger.warning("configuration reloaded; these changes need a restart and were not applied",
                           ["keys": needsRestart.joined(separator: ",")])
        }
        logger.info("configuration reloaded", ["secrets": String(applied.webhookSecrets.count), "channels": String(applied.channels.count),
                                               "routes": String(applied.routes.count)])
    }

    /// Stops accepting, finishes requests in progress, then cancels the pipeline's task group (the
    /// worker, the channel loops, a catch-up) and waits for it, all within `gracePeriod`. A large notification still being enriched, or a post still in flight, is
    /// left at the deadline: nothing of it was acknowledged as done (the journal cursor moves only
    /// after its cards are written), so it resumes after the next start, at most the one post in
    /// flight going out twice.
    public func stop(gracePeriod: Duration = .seconds(10)) async {
        let deadline = ContinuousClock.now + gracePeriod
        await server.stop(gracePeriod: gracePeriod)
        if let console = consoleServer.withLock({ $0 }) { await console.stop(gracePeriod: max(.zero, deadline - ContinuousClock.now)) }
        let tasks = core.tasks
        let finished = await DeadlineRace.finish(by: deadline, { await tasks.shutdown() })
        // Counts of lines left out, the pipeline's last event included; also when work was cut off.
        logger.writeSummaries(all: true)
        if finished {
            logger.info("stopped")
        } else {
            logger.warning("stopped at shutdownTimeout with work in progress; it resumes after the next start",
                           ["shutdownTimeout": DurationText.format(gracePeriod)])
        }
        LastRunning.record(configuration.dataDirectory)
        core.lock.release()
    }
}
