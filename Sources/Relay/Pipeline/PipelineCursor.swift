/// How far the incoming worker has planned, and when that reaches `incoming/cursor`.
///
/// The file is written once per batch, and only then are the batch's jobs released to the
/// deliverer: a crash before the write plans the batch again, which rewrites the same job files.
/// A batch that planned no job (every event unrouted or skipped), while nothing is held, lets the
/// write wait until `delay` has passed since the last one: a crash then only routes those events
/// again, which posts nothing. A write that fails keeps the jobs back and is tried again `delay`
/// later.
struct PipelineCursor {
    /// How long a write may wait behind notifications that planned no job.
    static let delay: Duration = .seconds(1)

    private let file: IncomingCursor
    private let clock: any RelayClock
    private let logger: Logger
    /// Told the sequence up to which jobs may now be delivered.
    private let release: (UInt64) -> Void
    /// The last notification planned.
    private(set) var taken: UInt64
    /// What the file says, and when it was last written or tried.
    private var recorded: UInt64
    private var recordedAt: ContinuousClock.Instant
    /// Some notification past `recorded` planned a job or a hold.
    private var unrecordedJobs = false

    /// The cursor in `directory` (`<dataDir>/incoming`), as the file says; throws when the file
    /// is there but cannot be read.
    init(directory: String, clock: any RelayClock, logger: Logger, release: @escaping (UInt64) -> Void) throws(SpoolError) {
        file = IncomingCursor(directory: directory)
        self.clock = clock
        self.logger = logger
        self.release = release
        taken = try file.read()
        recorded = taken
        recordedAt = clock.instant()
        release(taken)
    }

    /// Every notification up to `sequence` is planned; `jobs` says whether any planned a job or
    /// a hold, which makes the write (and the release) happen now.
    mutating func advance(to sequence: UInt64, jobs: Bool) {
        taken = sequence
        if jobs { unrecordedJobs = true }
        if unrecordedJobs || due {
            record()
        } else {
            // Nothing to deliver: the status page may count these as taken now.
            release(taken)
        }
    }

    /// Writes a waiting position whose time has come.
    mutating func recordIfDue() {
        if waiting && due { record() }
    }

    /// Writes a waiting position now (the worker is stopping).
    mutating func recordIfWaiting() {
        if waiting { record() }
    }

    /// How long until a waiting write is due; nil when none waits.
    var untilDue: Duration? {
        waiting ? max(.zero, Self.delay - (clock.instant() - recordedAt)) : nil
    }

    private var waiting: Bool { recorded != taken }
    private var due: Bool { clock.instant() - recordedAt >= Self.delay }

    private mutating func record() {
        recordedAt = clock.instant()
        do {
            try file.write(taken)
        } catch {
            logger.error("cannot record pipeline progress; its jobs wait", ["error": "\(error)"])
            return
        }
        recorded = taken
        unrecordedJobs = false
        release(taken)
    }
}
