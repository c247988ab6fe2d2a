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
        let bytes: [UInt8]
        switch SpoolFiles.read(path) {
        case .missing: return 0
        case .unavailable(let reason), .unreadable(let reason): throw SpoolError(reason)
        case .bytes(let read): bytes = read
        }
        let text = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let sequence = UInt64(text) else {
            throw SpoolError("\(path) holds no sequence number. Write in it the seq of the last \"step\":\"routed\" line in audit.log "
                + "(the last notification whose cards were planned); remove it only if every notification the journal holds, up to "
                + "30 days of them, should be delivered again")
        }
        return sequence
    }

    /// Records `sequence` as taken.
    func write(_ sequence: UInt64) throws(SpoolError) {
        try SpoolFiles.replace(path, with: Array("\(sequence)\n".utf8))
    }
}
