#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif

/// Standard output written line by line even when it is a pipe or a file, so a person or a
/// script following the output sees each line as it happens.
enum LineBufferedOutput {
    /// The C stream behind `print`, read once at start-up while nothing else runs.
    private nonisolated(unsafe) static let standardOutput = stdout

    /// Switches standard output to line buffering; call before anything is printed.
    static func enable() {
        setvbuf(standardOutput, nil, _IOLBF, 0)
    }
}
