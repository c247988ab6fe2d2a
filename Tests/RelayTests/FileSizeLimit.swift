import Foundation

/// Sets another process's RLIMIT_FSIZE with util-linux's `prlimit`, so its file writes fail as
/// they would on a full disk.
enum FileSizeLimit {
    struct Failure: Error, CustomStringConvertible { var description: String }

    /// Limits files written by `pid` to `bytes` (nil: unlimited).
    static func set(pid: Int32, bytes: Int?) throws {
        let status = try ChildProcess.run("/usr/bin/prlimit", ["--pid", String(pid), "--fsize=\(bytes.map(String.init) ?? "unlimited"):unlimited"])
        guard status == 0 else { throw Failure(description: "prlimit exited \(status)") }
    }
}
