import Foundation

/// `<dataDir>/incoming/cursor`: the sequence number of the last notification the pipeline has
/// taken, written atomically (temporary file, fsync, rename) so a restart resumes after it.
struct IncomingCursor {
    let path: String

    init(directory: String) {
        path = directory + "/cursor"
    }

    /// The last sequence taken, 0 when no cursor was written yet. Throws when the file is there
    /// but cannot be read (out of file descriptors, permissions) or holds no number: taking that
    /// as 0 would plan, and post, every notification the journal still holds again.
    func read() throws(SpoolError) -> UInt64 {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { return 0 }
            throw .system("open", path)
        }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: 64)
        let count = bytes.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        guard count >= 0 else { throw .system("read", path) }
        let text = String(decoding: bytes.prefix(count), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let sequence = UInt64(text) else {
            throw SpoolError("\(path) holds no sequence number; remove it only if every notification in the journal should be delivered again")
        }
        return sequence
    }

    /// Records `sequence` as taken.
    func write(_ sequence: UInt64) throws(SpoolError) {
        try SpoolFiles.replace(path, with: Array("\(sequence)\n".utf8))
    }
}
