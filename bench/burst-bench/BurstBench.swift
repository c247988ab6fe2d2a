import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import JSON
import PreservicaSimulator

/// End-to-end burst: N ingest events from the Preservica simulator (with per-call latency) through
/// a `preservica-relay serve` process (release build) to a chat sink. Prints the end-to-end time,
/// events/s, event-to-card latency percentiles, and the relay's CPU time and peak RSS.
///
///     burst-bench --relay .build/release/preservica-relay [--events 2000] [--latency-ms 20]
@main
struct BurstBench {
    static func main() async throws {
        var arguments = Array(CommandLine.arguments.dropFirst())
        var relayPath = ".build/release/preservica-relay"
        var events = 2000
        var latency = 20
        while arguments.count >= 2 {
            let name = arguments.removeFirst()
            let value = arguments.removeFirst()
            switch name {
            case "--relay": relayPath = value
            case "--events": events = Int(value) ?? events
            case "--latency-ms": latency = Int(value) ?? latency
            default: break
            }
        }

        let refs = (0..<events).map { String(format: "00000000-0000-4000-8000-%012d", $0) }
        let folder = SimulatedFolder(ref: "00000000-0000-4000-9000-000000000001", title: "Burst")
        let assets = refs.enumerated().map { index, ref in
            SimulatedAsset(ref: ref, title: "Burst asset \(index)", parent: folder.ref, representations: [
                SimulatedRepresentation(type: "Preservation", contentObjects: [
                    SimulatedContentObject(ref: String(format: "00000000-0000-4000-a000-%012d", index), title: "co", generations: [
                        SimulatedGeneration(bitstreams: [SimulatedBitstream(filename: "file-\(index).tif", size: 1_000_000,
                                                                            sha256: String(repeating: "0", count: 64))]),
                    ]),
                ]),
            ])
        }
        var configuration = SimulatorConfiguration(password: "pw")
        configuration.repository = SimulatorRepository(folders: [folder], assets: assets)
        configuration.faults = SimulatorFaults(latency: .milliseconds(latency))
        let simulator = PreservicaSimulator(configuration: configuration)
        try simulator.start()
        // The relay's cost of 2,000 cards, not Teams' limits: the channel's rateLimit lifts the
        // relay's pace, and the stand-in does not hold the flow to what Teams lets a bot post.
        let sink = ChatSink(configuration: ChatSinkConfiguration(teamsBotLimits: false))
        try sink.start()

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("burst-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let port = try freePort()
        try """
        { listen: "127.0.0.1:\(port)", dataDir: "data", webhook: { secrets: ["burst-secret"] },
          preservica: { server: "\(simulator.baseURL)", username: "admin", password: "pw", tenant: "DEMO", maxConcurrentRequests: 8 },
          channels: { curators: { type: "teams", url: "\(sink.teamsWorkflowURL())", rateLimit: 1000 } },
          routes: [ { channels: ["curators"] } ] }
        """.write(toFile: directory + "/relay.json5", atomically: true, encoding: .utf8)
        let relay = Process()
        relay.executableURL = URL(fileURLWithPath: relayPath)
        relay.arguments = ["serve", "--config", "relay.json5", "--log-level", "warn"]
        relay.currentDirectoryURL = URL(fileURLWithPath: directory)
        relay.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try relay.run()
        defer { relay.terminate() }
        try await waitForPort(port)
        let pid = relay.processIdentifier
        let cpuBefore = cpuSeconds(pid)

        try await subscribe(simulator: simulator, url: "http://127.0.0.1:\(port)/webhook")
        var sent: [String: Date] = [:]
        let start = Date()
        for (index, ref) in refs.enumerated() {
            sent["Burst asset \(index)"] = Date()
            _ = try await simulator.notify(trigger: "FULL_TEXT_INDEXED", refs: [ref])
        }
        let received = await sink.waitForMessages(count: events, timeout: .seconds(Double(events) * 0.2 + 60)) { $0.status == 202 }
        let elapsed = Date().timeIntervalSince(start)
        let cpu = cpuSeconds(pid) - cpuBefore
        let peak = peakRSS(pid)

        var latencies: [Double] = []
        for message in received {
            let text = String(decoding: message.body, as: UTF8.self)
            guard let range = text.range(of: #"Burst asset \d+"#, options: .regularExpression), let at = sent[String(text[range])] else { continue }
            latencies.append(message.receivedAt.timeIntervalSince(at))
        }
        latencies.sort()
        func percentile(_ p: Double) -> Double { latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
        print(String(format: "events=%d delivered=%d seconds=%.1f events_per_s=%.1f p50_s=%.2f p99_s=%.2f relay_cpu_s=%.1f relay_cpu_pct_of_one_core=%.0f relay_peak_rss_mb=%d preservica_latency_ms=%d",
                     events, received.count, elapsed, Double(received.count) / elapsed, percentile(0.5), percentile(0.99),
                     cpu, 100 * cpu / elapsed, peak / 1024, latency))
        relay.terminate()
        relay.waitUntilExit()
        await sink.stop()
        await simulator.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    static func subscribe(simulator: PreservicaSimulator, url: String) async throws {
        // Use the simulator's own webhook API, as Preservica's admin would.
        var login = URLRequest(url: URL(string: simulator.baseURL + "/api/accesstoken/login")!)
        login.httpMethod = "POST"
        login.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
        login.httpBody = Data("username=admin&password=pw&tenant=DEMO".utf8)
        let (data, _) = try await URLSession.shared.data(for: login)
        let token = (try JSONParser.parse(Array(data))).objectValue?["token"]?.stringValue ?? ""
        var create = URLRequest(url: URL(string: simulator.baseURL + "/api/webhook/subscriptions")!)
        create.httpMethod = "POST"
        create.setValue("application/json", forHTTPHeaderField: "Content-Type")
        create.setValue(token, forHTTPHeaderField: "Preservica-Access-Token")
        create.httpBody = Data(#"{"url":"\#(url)","triggerType":"FULL_TEXT_INDEXED","secret":"burst-secret","includeIdentifiers":"true"}"#.utf8)
        let (_, response) = try await URLSession.shared.data(for: create)
        guard (response as? HTTPURLResponse)?.statusCode == 200 else { throw BenchError("subscription failed") }
    }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) } }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func waitForPort(_ port: Int) async throws {
        for _ in 0..<200 {
            if let (_, response) = try? await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/healthz")!),
               (response as? HTTPURLResponse)?.statusCode == 200 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw BenchError("the relay did not start")
    }

    /// User + system CPU seconds of `pid` so far.
    static func cpuSeconds(_ pid: Int32) -> Double {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return 0 }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// Peak RSS of `pid` in KB.
    static func peakRSS(_ pid: Int32) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return 0 }
        return Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
