import Testing
import Foundation
import ChatTargets
import Relay
import TestSupport

/// What the spool writes per event must not grow with the notification it came in.
@Suite("Bounded spool")
struct BoundedSpoolTests {
    /// A signed notification with `count` events, each for its own entity.
    private static func notification(events count: Int) -> String {
        let events = (0..<count).map { _ in
            #"{"event":"FullTextIndexed","entityType":"IO","entityRef":"\#(UUID().uuidString.lowercased())","identifiers":[]}"#
        }
        let subscription = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        return #"{"subscriptionId":"\#(subscription)","timestamp":"2025-03-04T09:15:02.118","tenant":"DEMO","version":"7.7","#
            + #""events":[\#(events.joined(separator: ","))],"trigger":"FULL_TEXT_INDEXED"}"#
    }

    /// Sizes of the job files of journal sequence `sequence` in `directory`.
    private static func jobSizes(_ directory: String, sequence: Int) -> [Int] {
        let prefix = String(format: "%012d-", sequence)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasPrefix(prefix) && $0.hasSuffix(".json") }.compactMap {
            (try? FileManager.default.attributesOfItem(atPath: directory + "/" + $0)[.size] as? Int) ?? nil
        }
    }

    @Test("a 100-event notification writes jobs and audit lines no larger than a 1-event one does")
    func costPerEventIsConstant() async throws {
        let relay = try RelayHarness()
        // Nothing listens on port 9: every job stays in the outbox, waiting to be retried.
        relay.configuration.channels = [ChannelSettings(name: "ops", type: .slack, url: Secret("http://127.0.0.1:9/hook"))]
        relay.configuration.routes = [RouteSettings(channels: ["ops"])]
        try relay.start()
        do {
            let client = try relay.client()
            for body in [Self.notification(events: 100), Self.notification(events: 1)] {
                try await client.send(RelayHarness.signedRequest(body))
                #expect(try await client.readResponse().status == 200)
            }
            let jobs = relay.configuration.dataDirectory + "/outbox/ops"
            _ = await eventually(timeout: .seconds(60)) {
                Self.jobSizes(jobs, sequence: 1).count + Self.jobSizes(jobs, sequence: 2).count >= 101
            }
            let large = Self.jobSizes(jobs, sequence: 1)
            let small = Self.jobSizes(jobs, sequence: 2)
            try #require(small.count == 1 && large.count == 100)
            // The same card for another entity; a few bytes more for a longer event index and retry state.
            #expect(large.max()! <= small[0] + 256, "jobs of the large notification: up to \(large.max()!) bytes, single: \(small[0])")

            // Wait for the first attempt, at the large notification's first card: its audit line names the event.
            let auditPath = relay.configuration.dataDirectory + "/audit.log"
            var audit = ""
            _ = await eventually(timeout: .seconds(60)) {
                audit = (try? String(contentsOfFile: auditPath, encoding: .utf8)) ?? ""
                return audit.contains(#""job":"1-"#)
            }
            try #require(audit.contains(#""job":"1-"#))
            let lines = audit.split(separator: "\n")
            #expect(lines.count >= 101)
            let longest = lines.map(\.utf8.count).max() ?? 0
            #expect(longest < 1024, "longest audit line: \(longest) bytes")
        } catch {
            await relay.stop()
            throw error
        }
        await relay.stop()
    }
}
