/// The process exit codes, documented in README.md.
enum ExitCode: Int32, Error {
    /// Finished as asked.
    case success = 0
    /// A runtime failure: the spool cannot be opened, the port cannot be bound, the demo missed something.
    case failure = 1
    /// Bad command line or configuration: nothing was started.
    case usage = 2
}
