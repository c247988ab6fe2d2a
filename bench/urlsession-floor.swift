// What URLSession alone costs in CPU on this machine: REQUESTS GETs to a loopback server that
// answers each after a fixed latency, IN_FLIGHT at a time, through a session set up as the relay
// sets up its own (ephemeral, one delegate gathering each reply on the session's delegate queue,
// at most IN_FLIGHT connections). Prints the process's CPU time (user + system, getrusage) per
// request and as a share of one core. bench/urlsession-floor.sh runs it; nothing else uses it.
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Glibc
import Synchronization

final class Gatherer: NSObject, URLSessionDataDelegate, Sendable {
    let replies = Mutex<[Int: (body: Data, done: @Sendable (Int) -> Void)]>([:])

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
                    completionHandler: @escaping @Sendable (URLSession.ResponseDisposition) -> Void) {
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        replies.withLock { $0[dataTask.taskIdentifier]?.body.append(data) }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        guard let reply = replies.withLock({ $0.removeValue(forKey: task.taskIdentifier) }) else { return }
        reply.done(error == nil ? reply.body.count : -1)
    }
}

let arguments = CommandLine.arguments
guard arguments.count == 4, let url = URL(string: arguments[1]), let total = Int(arguments[2]), let inFlight = Int(arguments[3]) else {
    print("usage: urlsession-floor URL REQUESTS IN_FLIGHT")
    exit(2)
}
let configuration = URLSessionConfiguration.ephemeral
configuration.httpMaximumConnectionsPerHost = inFlight
let gatherer = Gatherer()
let session = URLSession(configuration: configuration, delegate: gatherer, delegateQueue: nil)

func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

func fetch() async -> Bool {
    await withCheckedContinuation { (done: CheckedContinuation<Bool, Never>) in
        let task = session.dataTask(with: url)
        gatherer.replies.withLock { $0[task.taskIdentifier] = (Data(), { done.resume(returning: $0 > 0) }) }
        task.resume()
    }
}

// A few requests first, so connections and lazily loaded code are not counted.
for _ in 0..<inFlight { _ = await fetch() }
let cpuBefore = cpuSeconds()
let started = ContinuousClock.now
let failures = await withTaskGroup(of: Int.self) { group in
    for worker in 0..<inFlight {
        group.addTask {
            var failed = 0
            for _ in stride(from: worker, to: total, by: inFlight) where !(await fetch()) { failed += 1 }
            return failed
        }
    }
    return await group.reduce(0, +)
}
let wall = (ContinuousClock.now - started) / .seconds(1)
let cpu = cpuSeconds() - cpuBefore
print(String(format: "requests=%d in_flight=%d failed=%d seconds=%.1f requests_per_s=%.0f cpu_s=%.2f cpu_ms_per_request=%.2f cpu_pct_of_one_core=%.0f",
             total, inFlight, failures, wall, Double(total) / wall, cpu, cpu * 1000 / Double(total), cpu * 100 / wall))
