import Foundation
import Preservica
import Synchronization

/// The parts of the relay that follow the configuration's Preservica, channels and routes: the
/// incoming worker (enrichment and cards) and the deliverer. A configuration reload replaces the
/// whole pipeline; the spool keeps its place, so nothing is lost or sent twice by the swap.
///
/// A pipeline runs once, as one child of a ``TaskSupervisor``'s group, with the worker's loop and
/// the deliverer's channel loops as children of its own group; ``stop()`` ends them and waits.
final class RelayPipeline: Sendable {
    let worker: IncomingWorker
    let deliverer: Deliverer
    private let launched = Atomic<Bool>(false)
    private let stopRequested = Latch()
    private let stopped = Latch()

    init(configuration: RelayConfiguration, logger: Logger, metrics: Metrics, status: RelayStatus,
         clock: any RelayClock = SystemClock(), spooled: SpooledNotifications? = nil, unwrittenJobs: UnwrittenJobsStore = UnwrittenJobsStore(),
         paces: PaceStore = PaceStore(), gones: GoneStore = GoneStore(), durable: @escaping @Sendable () -> UInt64) {
        var entities: EntityClient?
        if let settings = configuration.preservica {
            do {
                entities = try settings.entityClient()
            } catch {
                logger.error("Preservica settings unusable; events will not be enriched", ["error": "\(error)"])
            }
        } else {
            logger.warning("no Preservica credentials; events will not be enriched")
        }
        // Even without channels every event is routed, so each one is logged and counted as
        // unrouted instead of vanishing.
        let planner = CardPlanner(configuration: configuration, logger: logger, metrics: metrics, clock: clock)
        // The deliverer asks how far the worker has planned; the worker exists only below, so the
        // answer goes through a box filled once the worker is made.
        let progress = WorkerProgress()
        let deliverer = Deliverer(channels: configuration.channels, dataDirectory: configuration.dataDirectory, planner: planner,
                                  logger: logger, metrics: metrics, status: status, clock: clock, released: { progress.lastTaken },
                                  withheld: { progress.withholds(sequence: $0, event: $1) }, unwrittenJobs: unwrittenJobs, paces: paces, gones: gones)
        self.deliverer = deliverer
        worker = IncomingWorker(directory: configuration.dataDirectory + "/incoming", entities: entities, planner: planner,
                                logger: logger, metrics: metrics, hold: configuration.preservica?.hold ?? HoldPolicy(), clock: clock,
                                entityTypes: Self.entityTypes(configuration.routes), spooled: spooled, durable: durable,
                                onPlanned: { channels in for channel in channels { deliverer.notify(channel) } })
        progress.worker = worker
    }

    /// The entity types some route takes; nil when a route takes every type. Without routes only
    /// assets are read, for the status page and `enrich` alike.
    static func entityTypes(_ routes: [RouteSettings]) -> Set<String>? {
        guard !routes.isEmpty else { return ["IO"] }
        if routes.contains(where: { $0.entityTypes.isEmpty }) { return nil }
        return Set(routes.flatMap(\.entityTypes))
    }

    /// Runs the worker and the deliverer as children of `tasks`' group.
    func start(in tasks: TaskSupervisor) {
        launched.store(true, ordering: .sequentiallyConsistent)
        tasks.add { [self] in await run() }
    }

    /// Ends the worker after the event in progress and each channel after the attempt in progress,
    /// and returns when they have ended.
    func stop() async {
        stopRequested.open()
        if launched.load(ordering: .sequentiallyConsistent) { await stopped.wait() }
    }

    /// Runs until ``stop()``, or until the task is cancelled (the supervisor shuts down).
    private func run() async {
        await withDiscardingTaskGroup { group in
            group.addTask { [worker] in await worker.run() }
            group.addTask { [deliverer] in await deliverer.run() }
            await stopRequested.wait()
            group.cancelAll()
        }
        stopped.open()
    }
}
