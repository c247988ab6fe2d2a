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
    func write(_ sequence: UInt64) throws(SpoolError) {
        try SpoolFiles.replace(path, with: Array("\(sequence)\n".utf8))
    }
}
