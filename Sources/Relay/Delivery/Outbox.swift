import Foundation
import JSON

/// `outbox/` and `dead/` as directories of JSON files, one per job, one subdirectory per channel.
/// Every write is a ``SpoolFiles/replace(_:with:durable:)``, so a crash leaves either the old file
/// or the new one; an operator can `ls` and read what is waiting or dead.
public struct Outbox: Sendable {
    /// `<dataDir>/outbox`.
    public let outbox: String
    /// `<dataDir>/dead`.
    public let dead: String
    /// `<dataDir>`, where `corrupt/` lives.
    let dataDirectory: String

    /// The outbox and dead letters under `dataDirectory`.
    public init(dataDirectory: String) {
        outbox = dataDirectory + "/outbox"
        dead = dataDirectory + "/dead"
        self.dataDirectory = dataDirectory
    }

    /// Writes (or rewrites) a waiting job.
    public func save(_ job: DeliveryJob) throws(SpoolError) {
        try write(job, into: outbox)
    }

    /// The waiting jobs of `channel`, oldest first.
    public func pending(channel: String) -> [DeliveryJob] {
        read(outbox + "/" + channel)
    }

    /// The waiting job in `file` of `channel`, if it can be read.
    public func waiting(channel: String, file: String) -> DeliveryJob? {
        job(outbox + "/" + channel, file)
    }

    /// The file names of `channel`'s waiting jobs, oldest first (reads names only).
    public func waitingFiles(channel: String) -> [String] {
        names(outbox + "/" + channel)
    }

    /// How many jobs wait for `channel` (reads names only).
    public func pendingCount(channel: String) -> Int {
        names(outbox + "/" + channel).count
    }

    /// The oldest waiting job of `channel`, reading only its file: the deliverer asks this before
    /// every attempt, so a long backlog must not be read whole each time. A file that cannot be
    /// read as a job is moved to `corrupt/` (reported through `onCorrupt`) and the next one is
    /// taken. A file that cannot be opened for want of file descriptors is no damaged file: nil is
    /// returned and `onUnavailable` told, so the channel tries again later.
    ///
    /// With `movingDamaged: false` (a metric, a look) a damaged file is passed over where it is:
    /// only the channel's deliverer moves it, so that its log line and count come with it.
    public func oldest(channel: String, movingDamaged: Bool = true, onCorrupt: (String) -> Void = { _ in },
                       onUnavailable: (String) -> Void = { _ in }) -> DeliveryJob? {
        let directory = outbox + "/" + channel
        for name in names(directory) {
            let path = directory + "/" + name
            switch SpoolFiles.read(path) {
            case .missing:
                continue
            case .unavailable(let reason):
                onUnavailable(reason)
                return nil
            case .bytes(let data):
                if let job = Self.job(named: name, in: channel, data) { return job }
            case .unreadable:
                break
            }
            guard movingDamaged else { continue }
            if let moved = AuditLog(dataDirectory: dataDirectory).quarantine(path, [("channel", .string(channel))]) { onCorrupt(moved) }
        }
        return nil
    }

    /// Every dead job, by channel then age.
    public func deadJobs() -> [DeliveryJob] {
        channels(in: dead).flatMap { read(dead + "/" + $0) }
    }

    /// The `limit` dead jobs that went to `dead/` last, newest first, reading only those files
    /// (a status page refreshed every 15 s must not parse thousands), and how many files `dead/` holds.
    public func recentDeadJobs(limit: Int) -> (jobs: [DeliveryJob], total: Int) {
        var files: [(path: String, channel: String, name: String, buried: Int64)] = []
        for channel in channels(in: dead) {
            for name in names(dead + "/" + channel) {
                var info = stat()
                let path = dead + "/" + channel + "/" + name
                guard stat(path, &info) == 0 else { continue }
                files.append((path, channel, name, Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)))
            }
        }
        files.sort { ($0.buried, $0.name) > ($1.buried, $1.name) }
        var jobs: [DeliveryJob] = []
        for file in files where jobs.count < limit {
            if let job = job(dead + "/" + file.channel, file.name) { jobs.append(job) }
        }
        return (jobs, files.count)
    }

    /// The files in `dead/` that cannot be read as jobs (`channel/name`): damaged, or not written
    /// by the relay. ``deadJobs()`` leaves them out; an operator's listing must name them.
    public func unreadableDeadFiles() -> [String] {
        channels(in: dead).flatMap { channel in
            names(dead + "/" + channel).filter { job(dead + "/" + channel, $0) == nil }.map { channel + "/" + $0 }
        }
    }

    /// Moves a job to `dead/` with its last reply.
    public func bury(_ job: DeliveryJob) throws(SpoolError) {
        try write(job, into: dead)
        remove(job, from: outbox)
    }

    /// Finishes the moves between the outbox and `dead/` that a kill cut short: each writes the
    /// job at its new place first and then removes the old copy, so a job in both places was being
    /// moved. A replay gives the outbox copy a new `replayedAt`; then the dead copy goes. Otherwise
    /// it was being buried, and the outbox copy goes (it would be posted, and `replay` would post
    /// it again). Returns the names of the copies removed. Run when a channel's loop starts.
    @discardableResult
    public func finishMoves(channel: String) -> [String] {
        var removed: [String] = []
        let deadNames = Set(names(dead + "/" + channel))
        for name in names(outbox + "/" + channel) where deadNames.contains(name) {
            guard let waiting = job(outbox + "/" + channel, name), let buried = job(dead + "/" + channel, name) else { continue }
            if !waiting.replayedAt.isEmpty && waiting.replayedAt != buried.replayedAt {
                remove(buried, from: dead)
                removed.append("dead/" + channel + "/" + name)
            } else {
                remove(waiting, from: outbox)
                removed.append("outbox/" + channel + "/" + name)
            }
        }
        return removed
    }

    /// Removes a delivered job.
    public func remove(_ job: DeliveryJob) {
        remove(job, from: outbox)
    }

    /// Puts a dead job back in the outbox with its attempts reset.
    public func replay(_ job: DeliveryJob, at now: Date = Date()) throws(SpoolError) {
        var again = job
        again.attempts = 0
        again.throttles = 0
        again.nextAttemptAt = 0
        again.replayedAt = Timestamp.iso8601(now)
        try write(again, into: outbox)
        remove(job, from: dead)
    }

    private func write(_ job: DeliveryJob, into root: String) throws(SpoolError) {
        try SpoolFiles.replace(root + "/" + job.channel + "/" + job.name, with: Array(JSONWriter.pretty(job.json).utf8) + [0x0a])
    }

    private func read(_ directory: String) -> [DeliveryJob] {
        names(directory).compactMap { job(directory, $0) }
    }

    private func names(_ directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
    }

    private func job(_ directory: String, _ name: String) -> DeliveryJob? {
        guard let data = FileManager.default.contents(atPath: directory + "/" + name) else { return nil }
        return Self.job(named: name, in: (directory as NSString).lastPathComponent, Array(data))
    }

    /// The job file `name` of `channel`'s directory. Where it lies decides its channel: a job an
    /// operator moved here from another channel's directory (after a rename) is this one's, and is
    /// rewritten, removed and buried from here.
    private static func job(named name: String, in channel: String, _ data: [UInt8]) -> DeliveryJob? {
        guard let json = try? JSONParser.parse(data), var job = DeliveryJob(name: name, json: json) else { return nil }
        job.channel = channel
        return job
    }

    private func remove(_ job: DeliveryJob, from root: String) {
        SpoolFiles.remove(root + "/" + job.channel + "/" + job.name)
    }

    private func channels(in root: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).sorted()
    }
}

extension Outbox {
    /// The channels with cards waiting in `outbox/` that `configured` does not name, and how many:
    /// nothing sends them (a channel removed or renamed while its queue was not empty).
    public func orphanedQueues(configured: Set<String>) -> [(channel: String, cards: Int)] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: outbox)) ?? []).sorted()
        return names.filter { !configured.contains($0) }.compactMap { name in
            // Cards waiting, and assets gathered for a digest (one line each in `digest-*.jsonl`).
            let gathered = DigestBuffer.all(outbox: outbox, channel: name).reduce(0) { $0 + $1.items().count }
            let count = pendingCount(channel: name) + gathered
            return count > 0 ? (name, count) : nil
        }
    }
}
