import Foundation

/// Starts child processes one at a time. Foundation's `Process.run()` on Linux is not safe to call
/// from several threads at once (it was seen to crash in `memcpy` when two tests spawned together).
enum ProcessLaunch {
    private static let lock = NSLock()

    /// Runs `process`, holding the lock only while it is being spawned.
    static func run(_ process: Process) throws {
        lock.lock()
        defer { lock.unlock() }
        try process.run()
    }
}
