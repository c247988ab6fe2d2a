import Foundation

/// Sets another process's RLIMIT_FSIZE with prlimit(2), so its file writes fail as they would on a
/// full disk. A system call rather than util-linux's `prlimit` tool: every child spawned through
/// Foundation's `Process.run()` risks its intermittent crash on Linux (an over-read of
/// `/proc/self/fd` entries, swift-corelibs-foundation #5472).
enum FileSizeLimit {
    struct Failure: Error, CustomStringConvertible { var description: String }

    private typealias PrlimitFunction = @convention(c) (pid_t, Int32, UnsafePointer<rlimit>?, UnsafeMutablePointer<rlimit>?) -> Int32

    /// Limits files written by `pid` to `bytes` (nil: unlimited).
    static func set(pid: Int32, bytes: Int?) throws {
        // glibc declares prlimit only with _GNU_SOURCE, so Swift does not see it: look it up.
        guard let symbol = dlsym(nil, "prlimit") else { throw Failure(description: "prlimit is not available") }
        let prlimit = unsafeBitCast(symbol, to: PrlimitFunction.self)
        var limit = rlimit(rlim_cur: bytes.map { rlim_t($0) } ?? rlim_t.max, rlim_max: rlim_t.max)
        guard prlimit(pid, Int32(RLIMIT_FSIZE.rawValue), &limit, nil) == 0 else {
            throw Failure(description: "prlimit(\(pid)) failed: errno \(errno)")
        }
    }
}
