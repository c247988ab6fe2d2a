import Foundation
import JSON

/// `outbox/` and `dead/` as directories of JSON files, one per job, one subdirectory per channel.
/// Every write goes to a temporary name, is fsync'd and renamed, so a crash leaves either the old
/// file or the new one; an operator can `ls` and read what is waiting or dead.
public struct Outbox: Sendable {
    /// `<dataDir>/outbox`.
    public let outbox: String
    /// `<dataDir>/dead`.
    public let dead: String

    /// The outbox and dead letters under `dataDirectory`.
    public init(dataDirectory: String) {
        outbox = dataDirectory + "/outbox"
        dead = dataDirectory + "/dead"
    }

    /// Writes (or rewrites) a waiting job.
    public func save(_ job: DeliveryJob) throws {
        try write(job, into: outbox)
    }

    /// The waiting jobs of `channel`, oldest first.
    public func pending(channel: String) -> [DeliveryJob] {
        read(outbox + "/" + channel)
    }

    /// How many jobs wait for `channel` (reads names only).
    public func pendingCount(channel: String) -> Int {
        names(outbox + "/" + channel).count
    }

    /// The oldest waiting job of `channel`, reading only its file: the deliverer asks this before
    /// every attempt, so a long backlog must not be read whole each time.
    public func oldest(channel: String) -> DeliveryJob? {
        let directory = outbox + "/" + channel
        for name in names(directory) {
            if let job = job(directory, name) { return job }
        }
        return nil
    }

    /// Every dead job, by channel then age.
    public func deadJobs() -> [DeliveryJob] {
        channels(in: dead).flatMap { read(dead + "/" + $0) }
    }

    /// Moves a job to `dead/` with its last reply.
    public func bury(_ job: DeliveryJob) throws {
        try write(job, into: dead)
        remove(job, from: outbox)
    }

    /// Removes a delivered job.
    public func remove(_ job: DeliveryJob) {
        remove(job, from: outbox)
    }

    /// Puts a dead job back in the outbox with its attempts reset.
    public func replay(_ job: DeliveryJob) throws {
        var again = job
        again.attempts = 0
        again.nextAttemptAt = 0
        try write(again, into: outbox)
        remove(job, from: dead)
    }

    private func write(_ job: DeliveryJob, into root: String) throws {
        let directory = root + "/" + job.channel
        if !FileManager.default.fileExists(atPath: directory) {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            Self.syncDirectory(root)
        }
        let path = directory + "/" + job.name
        let temporary = path + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw JournalError.system("open", temporary) }
        let bytes = Array(JSONWriter.pretty(job.json).utf8) + [0x0a]
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd) == 0
        close(fd)
        guard written == bytes.count, synced, rename(temporary, path) == 0 else { throw JournalError.system("write", path) }
        Self.syncDirectory(directory)
    }

    /// Makes the entries of `directory` (a new or renamed file) durable.
    static func syncDirectory(_ directory: String) {
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
    }

    private func read(_ directory: String) -> [DeliveryJob] {
        names(directory).compactMap { job(directory, $0) }
    }

    private func names(_ directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).filter { $0.hasSuffix(".json") }.sorted()
    }

    private func job(_ directory: String, _ name: String) -> DeliveryJob? {
        guard let data = FileManager.default.contents(atPath: directory + "/" + name),
              let json = try? JSONParser.parse(Array(data)) else { return nil }
        return DeliveryJob(name: name, json: json)
    }

    private func remove(_ job: DeliveryJob, from root: String) {
        unlink(root + "/" + job.channel + "/" + job.name)
    }

    private func channels(in root: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).sorted()
    }
}
