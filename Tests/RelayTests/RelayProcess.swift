import Foundation
import TestSupport

/// The built `preservica-relay` binary run as a child process, as an operator runs it.
final class RelayProcess: @unchecked Sendable {
    struct Failure: Error, CustomStringConvertible { var description: String }

    /// The executable next to the test bundle (`swift build` puts both in the same directory).
    static var executable: String {
        let directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [directory, directory.deletingLastPathComponent()].map { $0.appendingPathComponent("preservica-relay").path }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
    }

    let process: ChildProcess
    let stderrPath: String
    let stdoutPath: String

    /// Starts `preservica-relay <arguments>` with `environment` added to a minimal environment.
    init(_ arguments: [String], environment: [String: String] = [:], directory: String) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.executable) else {
            throw Failure(description: "\(Self.executable) is missing: run `swift build` before `swift test`")
        }
        stderrPath = directory + "/stderr-\(UUID().uuidString.prefix(6)).log"
        stdoutPath = directory + "/stdout-\(UUID().uuidString.prefix(6)).log"
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        _ = FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        process = try ChildProcess(executable: Self.executable, arguments: arguments,
                                   environment: ["PATH": "/usr/bin:/bin"].merging(environment) { $1 },
                                   directory: directory, stdoutPath: stdoutPath, stderrPath: stderrPath)
    }

    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }
    var stdout: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }

    /// Waits for the process to exit and returns its status.
    func exitCode(timeout: Duration = .seconds(60)) async throws -> Int32 {
        guard await eventually(timeout: timeout, { !process.isRunning }) else {
            process.terminate()
            throw Failure(description: "still running after \(timeout); stderr: \(stderr)")
        }
        return process.terminationStatus
    }

    /// Waits for the "listening" log line and returns the port it names.
    func listeningPort(timeout: Duration = .seconds(60)) async throws -> Int {
        var port: Int?
        // Stops early when the process exits; the log is read again then, in case the line came last.
        _ = await eventually(timeout: timeout) {
            port = Self.listeningPort(in: stderr)
            return port != nil || !process.isRunning
        }
        if let port = port ?? Self.listeningPort(in: stderr) { return port }
        guard process.isRunning else { throw Failure(description: "exited early: \(stderr)") }
        throw Failure(description: "never said it was listening: \(stderr)")
    }

    /// The port named by the "listening" line of `log`, if it has one.
    private static func listeningPort(in log: String) -> Int? {
        guard let line = log.split(separator: "\n").first(where: { $0.contains("msg=listening") }),
              let address = line.split(separator: " ").first(where: { $0.hasPrefix("address=") }) else { return nil }
        return Int(address.split(separator: ":").last ?? "")
    }

    /// Sends `signal` to the process.
    func send(_ signal: Int32) { process.send(signal) }
}
