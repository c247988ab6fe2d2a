import Foundation

/// Starts child processes with `posix_spawn` directly. Foundation's `Process.run()` on Linux was
/// seen to crash in `memcpy` while other tests held hundreds of sockets open (high descriptor
/// numbers); the child here gets only the descriptors it is given.
final class ChildProcess: @unchecked Sendable {
    struct Failure: Error, CustomStringConvertible { var description: String }

    /// The child's process id.
    let pid: pid_t
    private let state = NSLock()
    private var status: Int32?

    /// Starts `executable` with `arguments` and exactly `environment`, in `directory`, with
    /// standard output and error appended to the files at `stdoutPath` and `stderrPath`
    /// (standard input is /dev/null).
    init(executable: String, arguments: [String], environment: [String: String], directory: String?,
         stdoutPath: String = "/dev/null", stderrPath: String = "/dev/null") throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_APPEND, 0o644)
        // Nothing else of the test process (servers' listening sockets, clients) reaches the child.
        for fd in Self.openDescriptors() where fd > 2 { posix_spawn_file_actions_addclose(&actions, fd) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The child starts with default signal handling, whatever the test process ignores.
        var defaults = sigset_t()
        sigfillset(&defaults)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        // `env -C DIR` (GNU coreutils) changes directory and then becomes the program, keeping its pid.
        let command = directory.map { ["/usr/bin/env", "-C", $0, executable] } ?? [executable]
        let argv = (command + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var child: pid_t = 0
        let result = posix_spawn(&child, command[0], &actions, &attributes, argv, envp)
        guard result == 0 else { throw Failure(description: "cannot start \(executable): \(String(cString: strerror(result)))") }
        pid = child
    }

    /// The descriptors open in this process now, from /proc/self/fd.
    private static func openDescriptors() -> [Int32] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []).compactMap { Int32($0) }
    }

    /// Whether the child still runs (reaps it when it has exited).
    var isRunning: Bool {
        state.lock()
        defer { state.unlock() }
        if status != nil { return false }
        var raw: Int32 = 0
        let reaped = waitpid(pid, &raw, WNOHANG)
        if reaped == pid {
            // WIFEXITED / WEXITSTATUS / WTERMSIG, spelled out (the C macros are not imported).
            let signal = raw & 0x7f
            status = signal == 0 ? (raw >> 8) & 0xff : 128 + signal
            return false
        }
        return reaped == 0
    }

    /// Blocks until the child exits and returns its status (for short tools such as `prlimit`).
    func waitForExit() -> Int32 {
        var raw: Int32 = 0
        while waitpid(pid, &raw, 0) < 0 && errno == EINTR {}
        let signal = raw & 0x7f
        state.lock()
        status = signal == 0 ? (raw >> 8) & 0xff : 128 + signal
        state.unlock()
        return status ?? -1
    }

    /// The exit status once it has exited (128 + signal when a signal ended it).
    var terminationStatus: Int32 {
        _ = isRunning
        state.lock()
        defer { state.unlock() }
        return status ?? -1
    }

    /// Sends `signal`.
    func send(_ signal: Int32) { kill(pid, signal) }

    /// The child's process id, as Foundation's `Process` names it.
    var processIdentifier: Int32 { pid }

    /// Sends SIGTERM.
    func terminate() { send(SIGTERM) }

    /// Runs `executable` to the end and returns its exit status.
    static func run(_ executable: String, _ arguments: [String]) throws -> Int32 {
        let child = try ChildProcess(executable: executable, arguments: arguments, environment: ["PATH": "/usr/bin:/bin"], directory: nil)
        return child.waitForExit()
    }
}
