import Foundation
import Synchronization

/// The relay's counters, gauges and histograms, exposed at `GET /metrics` in the Prometheus text
/// format. Labels are fixed words, known trigger wire values (``MetricLabel``) and configured
/// channel names: never a secret, URL or title, and never a value that grows with input. As a
/// second guard, a metric that reaches ``maxSeriesPerMetric`` label sets counts any further one
/// under `other` in every label.
public final class Metrics: Sendable {
    private struct Histogram {
        var buckets: [Double]
        var counts: [Int]
        var sum = 0.0
        var count = 0

        init(buckets: [Double]) {
            self.buckets = buckets
            counts = Array(repeating: 0, count: buckets.count)
        }

        mutating func observe(_ value: Double) {
            for (index, bound) in buckets.enumerated() where value <= bound { counts[index] += 1 }
            sum += value
            count += 1
        }
    }

    private struct State {
        var counters: [String: Double] = [:]
        var histograms: [String: Histogram] = [:]
        var seriesPerMetric: [String: Int] = [:]

        /// The key to count under: `key` itself while the metric has room for another label set.
        mutating func admit(_ key: String, name: String, labels: [(String, String)], known: Bool) -> String {
            if known || labels.isEmpty { return key }
            if seriesPerMetric[name, default: 0] < Metrics.maxSeriesPerMetric {
                seriesPerMetric[name, default: 0] += 1
                return key
            }
            return Metrics.key(name, labels.map { ($0.0, "other") })
        }
    }

    /// Most label sets one counter or histogram keeps (the `other` set aside).
    static let maxSeriesPerMetric = 200

    private let state = Mutex(State())
    private let gauges = Mutex<[String: @Sendable () -> Double]>([:])

    /// Help text and type of every metric, in the order they are printed.
    static let descriptions: [(name: String, type: String, help: String)] = [
        ("preservica_relay_notifications_received_total", "counter", "Webhook POSTs that were not handshakes."),
        ("preservica_relay_notifications_accepted_total", "counter", "Notifications verified and spooled (answered 200)."),
        ("preservica_relay_notifications_duplicate_total", "counter", "Notifications answered 200 as repeats, not spooled again."),
        ("preservica_relay_notifications_rejected_total", "counter", "Notifications refused, by reason."),
        ("preservica_relay_handshakes_total", "counter", "Subscription handshakes answered."),
        ("preservica_relay_journal_syncs_total", "counter",
         "Group commits of the incoming journal (one write and one fdatasync each); accepted notifications per sync is their batch size."),
        ("preservica_relay_events_total", "counter", "Events taken by the pipeline, by trigger."),
        ("preservica_relay_enrichments_total", "counter", "Asset enrichments, by result."),
        ("preservica_relay_events_unrouted_total", "counter", "Asset events no route matched, by trigger (unknown values as other)."),
        ("preservica_relay_enrichment_retries_total", "counter", "Enrichments of held events asked again while Preservica was unavailable."),
        ("preservica_relay_holds_expired_total", "counter", "Held events sent on without details after preservica.holdFor."),
        ("preservica_relay_held_events", "gauge", "Events held because Preservica could not be reached."),
        ("preservica_relay_held_oldest_seconds", "gauge", "How long the oldest held event has waited."),
        ("preservica_relay_preservica_retry_after_seconds", "gauge",
         "What is left of the wait Preservica asked for with Retry-After (429 or 503); no call is sent meanwhile."),
        ("preservica_relay_deliveries_total", "counter", "Delivery attempts, by channel and outcome."),
        ("preservica_relay_retries_total", "counter", "Delivery attempts that will be retried, by channel."),
        ("preservica_relay_dead_letters_total", "counter", "Jobs moved to dead/, by channel."),
        ("preservica_relay_corrupt_files_total", "counter", "Delivery jobs that could not be read, moved to corrupt/, by channel."),
        ("preservica_relay_queue_depth", "gauge", "Items waiting, by queue (incoming, outbox, dead)."),
        ("preservica_relay_refused_notifications", "gauge", "Signed bodies that were not notifications, kept in refused/ until an operator removes them."),
        ("preservica_relay_oldest_job_age_seconds", "gauge", "Age of the oldest job waiting in the outbox."),
        ("preservica_relay_enrichment_duration_seconds", "histogram", "Time to enrich the assets of one notification."),
        ("preservica_relay_delivery_duration_seconds", "histogram", "Time of one delivery attempt."),
        ("preservica_relay_event_to_card_seconds", "histogram", "From receiving a notification to its card being delivered."),
    ]

    private static let latencyBuckets = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300]

    /// An empty registry.
    public init() {}

    /// Adds `value` to the counter `name` with `labels`.
    public func increment(_ name: String, _ labels: [(String, String)] = [], by value: Double = 1) {
        let key = Self.key(name, labels)
        state.withLock { state in
            // One lookup for a series already counted (nearly every call).
            if let index = state.counters.index(forKey: key) {
                state.counters.values[index] += value
                return
            }
            state.counters[state.admit(key, name: name, labels: labels, known: false), default: 0] += value
        }
    }

    /// Records one observation in the histogram `name`.
    public func observe(_ name: String, _ value: Double, _ labels: [(String, String)] = []) {
        let key = Self.key(name, labels)
        state.withLock { state in
            let admitted = state.admit(key, name: name, labels: labels, known: state.histograms[key] != nil)
            state.histograms[admitted, default: Histogram(buckets: Self.latencyBuckets)].observe(value)
        }
    }

    /// Registers a gauge read at each scrape (or a counter kept elsewhere, such as the journal's syncs).
    public func gauge(_ name: String, _ labels: [(String, String)] = [], _ read: @escaping @Sendable () -> Double) {
        let key = Self.key(name, labels)
        gauges.withLock { $0[key] = read }
    }

    /// The value of a counter (for tests and the status page).
    public func counter(_ name: String, _ labels: [(String, String)] = []) -> Double {
        let key = Self.key(name, labels)
        if let kept = state.withLock({ $0.counters[key] }) { return kept }
        // A counter kept elsewhere and read at each scrape (the journal's syncs).
        return gauges.withLock { $0[key] }?() ?? 0
    }

    /// The whole registry in the Prometheus text exposition format (version 0.0.4).
    public func exposition() -> String {
        let snapshot = state.withLock { $0 }
        let gaugeValues = gauges.withLock { $0 }.mapValues { $0() }
        var out = ""
        for (name, type, help) in Self.descriptions {
            out += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
            switch type {
            case "histogram":
                for (key, histogram) in snapshot.histograms.sorted(by: { $0.key < $1.key }) where Self.name(of: key) == name {
                    let labels = Self.labels(of: key)
                    for (bound, count) in zip(histogram.buckets, histogram.counts) {
                        out += "\(name)_bucket\(Self.render(labels + [("le", Self.number(bound))])) \(count)\n"
                    }
                    out += "\(name)_bucket\(Self.render(labels + [("le", "+Inf")])) \(histogram.count)\n"
                    out += "\(name)_sum\(Self.render(labels)) \(Self.number(histogram.sum))\n"
                    out += "\(name)_count\(Self.render(labels)) \(histogram.count)\n"
                }
            case "gauge":
                for (key, value) in gaugeValues.sorted(by: { $0.key < $1.key }) where Self.name(of: key) == name {
                    out += "\(key) \(Self.number(value))\n"
                }
            default:
                // A counter another part keeps is registered like a gauge and read at each scrape.
                let counters = snapshot.counters.merging(gaugeValues.filter { Self.name(of: $0.key) == name }) { kept, _ in kept }
                for (key, value) in counters.sorted(by: { $0.key < $1.key }) where Self.name(of: key) == name {
                    out += "\(key) \(Self.number(value))\n"
                }
            }
        }
        return out
    }

    /// `name` and its labels as the exposition format writes them, built in one string: it is
    /// the registry's key, made on every increment.
    fileprivate static func key(_ name: String, _ labels: [(String, String)]) -> String {
        guard !labels.isEmpty else { return name }
        var key = name
        key.reserveCapacity(labels.reduce(name.utf8.count + 2) { $0 + $1.0.utf8.count + $1.1.utf8.count + 4 })
        key += "{"
        for (index, (label, value)) in labels.enumerated() {
            if index > 0 { key += "," }
            key += label
            key += "=\""
            key += escaped(value)
            key += "\""
        }
        key += "}"
        return key
    }

    /// `{label="value",…}` as the exposition format writes it, or nothing without labels.
    private static func render(_ labels: [(String, String)]) -> String { key("", labels) }

    /// A label value as the exposition format quotes it: backslash, quote and newline escaped.
    private static func escaped(_ value: String) -> String {
        // Counted on every increment: the common value needs no copy at all.
        guard value.utf8.contains(where: { $0 == 0x5C || $0 == 0x22 || $0 == 0x0A }) else { return value }
        var out = ""
        for character in value.unicodeScalars {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    private static func name(of key: String) -> String {
        key.firstIndex(of: "{").map { String(key[..<$0]) } ?? key
    }

    private static func labels(of key: String) -> [(String, String)] {
        guard let open = key.firstIndex(of: "{") else { return [] }
        let inner = key[key.index(after: open)..<key.index(before: key.endIndex)]
        return inner.split(separator: ",").compactMap { pair in
            let parts = pair.split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else { return nil }
            return (String(parts[0]), String(parts[1].dropFirst().dropLast()))
        }
    }

    private static func number(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
