import Foundation
import Hashing

/// A load generator for the webhook receiver: N keep-alive connections spread over a few poll(2)
/// loops, every request a different signed Preservica notification of about `--body-size` bytes.
/// Prints one summary line of `key=value` pairs.
///
///     relay-load --port 8080 --secret S [--path /webhook] [--connections 16] [--threads 1]
///                [--duration 10] [--rate 0] [--body-size 1024] [--chunked]
///
/// `--rate` is the total target requests per second (0: as fast as possible). Latency is measured
/// from the moment a request was due, so a stalled server is not hidden (no coordinated omission).
@main
struct RelayLoad {
    static func main() throws {
        let options = try LoadOptions(CommandLine.arguments.dropFirst())
        let deadline = Double(DispatchTime.now().uptimeNanoseconds) / 1e9 + options.duration
        let results = LoadResults()
        for index in 0..<options.threads {
            let share = options.connections / options.threads + (index < options.connections % options.threads ? 1 : 0)
            Thread {
                let worker = LoadWorker(index: index, connections: share, options: options)
                results.add(worker.run(until: deadline))
            }.start()
        }
        while results.finishedCount < options.threads { Thread.sleep(forTimeInterval: 0.05) }
        // Its own CPU, so a benchmark can say how the machine's cores were shared.
        var usage = rusage()
        #if os(Linux)
        getrusage(RUSAGE_SELF.rawValue, &usage)
        #else
        getrusage(RUSAGE_SELF, &usage)
        #endif
        let cpu = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        print(results.summary(duration: options.duration) + String(format: " cpu_s=%.2f", cpu))
    }
}

struct LoadOptions: Sendable {
    var host = "127.0.0.1"
    var port = 8080
    var path = "/webhook"
    var secret = ""
    var connections = 16
    var threads = 1
    var duration: Double = 10
    var rate: Double = 0
    var bodySize = 1024
    var chunked = false

    init<S: Sequence>(_ arguments: S) throws where S.Element == String {
        var iterator = arguments.makeIterator()
        while let name = iterator.next() {
            if name == "--chunked" { chunked = true; continue }
            guard let value = iterator.next() else { throw LoadError("\(name) needs a value") }
            switch name {
            case "--host": host = value
            case "--port": port = Int(value) ?? port
            case "--path": path = value
            case "--secret": secret = value
            case "--connections": connections = Int(value) ?? connections
            case "--threads": threads = max(1, Int(value) ?? threads)
            case "--duration": duration = Double(value) ?? duration
            case "--rate": rate = Double(value) ?? rate
            case "--body-size": bodySize = Int(value) ?? bodySize
            default: throw LoadError("unknown option \(name)")
            }
        }
        guard !secret.isEmpty else { throw LoadError("--secret is required") }
    }
}

struct LoadError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Per-thread results.
struct WorkerResult: Sendable {
    var latencies: [Double] = []
    var ok = 0
    var rejected = 0
    var errors = 0
    var statuses: [Int: Int] = [:]
}

/// Collects every worker's results.
final class LoadResults: @unchecked Sendable {
    private let lock = NSLock()
    private var all: [WorkerResult] = []

    var finishedCount: Int { lock.withLock { all.count } }

    func add(_ result: WorkerResult) { lock.withLock { all.append(result) } }

    func summary(duration: Double) -> String {
        lock.withLock {
            let latencies = all.flatMap(\.latencies).sorted()
            func percentile(_ p: Double) -> Double {
                latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] * 1000
            }
            let ok = all.reduce(0) { $0 + $1.ok }
            let statuses = all.reduce(into: [Int: Int]()) { total, result in total.merge(result.statuses) { $0 + $1 } }
            return String(format: "requests=%d ok=%d non2xx=%d errors=%d rps=%.0f p50_ms=%.3f p99_ms=%.3f max_ms=%.3f statuses=%@",
                          latencies.count, ok, all.reduce(0) { $0 + $1.rejected }, all.reduce(0) { $0 + $1.errors },
                          Double(ok) / duration, percentile(0.5), percentile(0.99), percentile(1.0),
                          statuses.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: ","))
        }
    }
}
