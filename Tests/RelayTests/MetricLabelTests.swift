import Testing
import Foundation
import Relay
import Preservica
import TestSupport

/// No label value comes straight from input: the series count cannot grow with what is sent.
@Suite("Metric labels")
struct MetricLabelTests {
    @Test("known triggers keep their wire value; anything else is other")
    func triggerLabel() {
        #expect(MetricLabel.trigger("FULL_TEXT_INDEXED") == "FULL_TEXT_INDEXED")
        #expect(MetricLabel.trigger("MOVED") == "MOVED")
        #expect(MetricLabel.trigger("moved") == "other")
        #expect(MetricLabel.trigger("X\"} 1\nfake_metric 9") == "other")
    }

    @Test("a metric fed ever new label values keeps a bounded number of series")
    func seriesCap() {
        let metrics = Metrics()
        for index in 0..<1_000 {
            metrics.increment("preservica_relay_deliveries_total", [("channel", "c\(index)"), ("outcome", "delivered")])
            metrics.observe("preservica_relay_delivery_duration_seconds", 0.1, [("channel", "c\(index)")])
        }
        let lines = metrics.exposition().split(separator: "\n")
        let series = lines.filter { $0.hasPrefix("preservica_relay_deliveries_total{") }
        #expect(series.count == 201)
        #expect(metrics.counter("preservica_relay_deliveries_total", [("channel", "other"), ("outcome", "other")]) == 800)
        #expect(metrics.counter("preservica_relay_deliveries_total", [("channel", "c7"), ("outcome", "delivered")]) == 1)
        let histogramCounts = lines.filter { $0.hasPrefix("preservica_relay_delivery_duration_seconds_count{") }
        #expect(histogramCounts.count == 201)
    }

    @Test("an event is counted once, when its cards are queued, however often an outbox that cannot be written makes it wait")
    func eventsCountedOnce() async throws {
        let relay = try RelayHarness()
        relay.configuration.channels = [ChannelSettings(name: "ops", type: .slack, url: Secret("http://127.0.0.1:9/hook"))]
        relay.configuration.routes = [RouteSettings(channels: ["ops"])]
        // A file where the channel's outbox directory belongs: no job can be written (even as root).
        let blocked = relay.configuration.dataDirectory + "/outbox/ops"
        try FileManager.default.createDirectory(atPath: relay.configuration.dataDirectory + "/outbox", withIntermediateDirectories: true)
        try Data("not a directory".utf8).write(to: URL(fileURLWithPath: blocked))
        try relay.start()
        do {
            let client = try relay.client()
            try await client.send(RelayHarness.signedRequest(RelayHarness.notification()))
            #expect(try await client.readResponse().status == 200)
            #expect(await eventually(timeout: .seconds(30)) { relay.log.components(separatedBy: "cannot queue cards").count > 2 })
            try FileManager.default.removeItem(atPath: blocked)
            let metrics = try #require(relay.service?.metrics)
            #expect(await eventually(timeout: .seconds(30)) {
                ((try? FileManager.default.contentsOfDirectory(atPath: blocked)) ?? []).contains { $0.hasSuffix(".json") }
                    && metrics.counter("preservica_relay_events_total", [("trigger", "FULL_TEXT_INDEXED")]) >= 1
            })
            #expect(metrics.counter("preservica_relay_events_total", [("trigger", "FULL_TEXT_INDEXED")]) == 1)
        } catch {
            await relay.stop()
            throw error
        }
        await relay.stop()
    }

    @Test("signed notifications with made-up triggers are counted under other, and /metrics never shows them")
    func madeUpTriggers() async throws {
        let relay = try RelayHarness()
        try relay.start()
        do {
            let client = try relay.client()
            var invented: [String] = []
            for _ in 0..<3 {
                let trigger = "INVENTED_" + UUID().uuidString.replacingOccurrences(of: "-", with: "")
                invented.append(trigger)
                try await client.send(RelayHarness.signedRequest(RelayHarness.notification(trigger: trigger)))
                #expect(try await client.readResponse().status == 200)
            }
            try await client.send(RelayHarness.signedRequest(RelayHarness.notification(trigger: "MOVED")))
            #expect(try await client.readResponse().status == 200)
            let metrics = try #require(relay.service?.metrics)
            _ = await eventually {
                metrics.counter("preservica_relay_events_total", [("trigger", "other")]) >= 3
                    && metrics.counter("preservica_relay_events_total", [("trigger", "MOVED")]) >= 1
            }
            try await client.send("GET /metrics HTTP/1.1\r\nHost: relay\r\n\r\n")
            let text = try await client.readResponse().bodyText
            #expect(text.contains(#"preservica_relay_events_total{trigger="other"} 3"#))
            #expect(text.contains(#"preservica_relay_events_total{trigger="MOVED"} 1"#))
            for trigger in invented { #expect(!text.contains(trigger)) }
        } catch {
            await relay.stop()
            throw error
        }
        await relay.stop()
    }
}
