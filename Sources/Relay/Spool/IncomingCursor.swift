import Foundation

/// `<dataDir>/incoming/cursor`: the sequence number of the last notification the pipeline has
/// taken, written atomically (temporary file, fsync, rename) so a restart resumes after it.
struct IncomingCursor {
    let path: String

    init(directory: String) {
        path = directory + "/cursor"
    }

    /// The last sequence taken, 0 when none.
    func read() -> UInt64 {
        (try? String(contentsOfFile: path, encoding: .utf8))
            .flatMap { UInt64($0.trimmingCharacters(in: .whitespacesAndNewlines)) } ?? 0
    }

    /// Records `sequence` as taken.
    func write(_ sequence: UInt64) throws {
        let temporary = path + ".tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw JournalError.system("open", temporary) }
        let bytes = Array("\(sequence)\n".utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        let synced = fsync(fd) == 0
        close(fd)
        guard written == bytes.count, synced, rename(temporary, path) == 0 else { throw JournalError.system("write", path) }
    }
}
