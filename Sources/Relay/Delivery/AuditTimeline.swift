import Foundation
import JSON
import Preservica

/// One asset's story for `audit --ref`: each notification about it from the incoming journal and
/// each step from the audit log (routed, delivered, retried, given up, replayed), in time order,
/// each named in words rather than by its log step.
public enum AuditTimeline {
    /// One moment of the story.
    public struct Entry: Sendable, Equatable {
        /// ISO 8601 UTC, as the journal and the audit log write it.
        public var time: String
        /// What happened, in a few words: `received`, `routed`, `delivered`, `given up`…
        public var what: String
        /// The rest: channel, trigger, reply, reason.
        public var detail: String
    }

    /// Everything recorded about `ref` under `dataDirectory`, oldest first (the audit log's rotated
    /// files included, where `logrotate` left them uncompressed).
    public static func entries(ref: String, dataDirectory: String) -> [Entry] {
        var entries = IncomingJournal.readRecords(directory: dataDirectory + "/incoming")
            .filter { $0.metadata.key.contains(ref) }
            .map { record in
                Entry(time: record.metadata.receivedAt, what: "received",
                      detail: "notification seq \(record.sequence), \(label(record.metadata.trigger)), from \(record.metadata.peer)")
            }
        let lines = AuditLog(dataDirectory: dataDirectory).lines()
        // A digest names its assets once, on its `digest` or `folded` line; the lines about its
        // delivery name the digest's job.
        var digests: [(channel: String, job: String)] = []
        for line in lines where line.contains(ref) && (line.contains(#""step":"digest""#) || line.contains(#""step":"folded""#)) {
            guard let object = (try? JSONParser.parse(String(line)))?.objectValue, let job = object["job"]?.stringValue,
                  let channel = object["channel"]?.stringValue else { continue }
            digests.append((JSONWriter.string(.string(channel)), JSONWriter.string(.string(job))))
        }
        // The job and its channel, as the lines write them: a job name alone can repeat across channels.
        for line in lines where line.contains(ref)
            || digests.contains(where: { line.contains(#""job":\#($0.job)"#) && line.contains(#""channel":\#($0.channel)"#) }) {
            // A line this version cannot read is still part of the story: shown as written.
            guard let object = try? JSONParser.parse(String(line)).objectValue else {
                entries.append(Entry(time: "", what: "unreadable", detail: String(line)))
                continue
            }
            entries.append(entry(object))
        }
        // A stable sort keeps the order of steps written in the same millisecond.
        return entries.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
    }

    private static func entry(_ object: JSONObject) -> Entry {
        func text(_ key: String) -> String {
            switch object[key] {
            case .string(let value)?: value
            case .number(let value)?: value == value.rounded() ? String(Int64(value)) : String(value)
            default: ""
            }
        }
        let channel = text("channel")
        // A line about a digest's delivery: the asset asked about is one of its.
        let event = text("event")
        let digest = event.hasPrefix("digest of ") ? ", in a \(event)"
            : event.hasPrefix("backlog of ") ? ", in a digest of \(event.dropFirst("backlog of ".count)) waiting cards" : ""
        let attempt = (text("attempt").isEmpty ? "" : ", attempt \(text("attempt"))") + digest
        let step = text("step")
        // Every field but the time and the step, for a line without the fields its step usually has.
        let plain = object.map(\.key).filter { $0 != "time" && $0 != "step" }.map { "\($0)=\(text($0))" }.joined(separator: " ")
        let known = ["routed", "skipped", "delivered", "retry", "gone", "fallback", "dead", "replayed", "digest", "folded", "console"]
        guard known.contains(step), step == "routed" ? !text("trigger").isEmpty : !channel.isEmpty else {
            return Entry(time: text("time"), what: step.isEmpty ? "unknown" : step, detail: plain)
        }
        let (what, detail): (String, String) = switch step {
        case "routed":
            if case .array(let names)? = object["channels"], !names.isEmpty {
                ("routed", "\(label(text("trigger"))) to " + names.compactMap(\.stringValue).joined(separator: ", "))
            } else {
                ("no route", "\(label(text("trigger"))) matched no route: nothing was posted")
            }
        case "skipped": ("kept out", "of \(channel): \(text("reason"))")
        case "delivered": ("delivered", "to \(channel) (\(text("host")))\(attempt)")
        case "retry": ("retrying", "\(channel): \(text("reason"))\(attempt); next try in \(seconds(text("waitMs")))")
        case "gone": ("waiting", "\(channel)'s address takes no cards (\(text("reason"))); the card waits, next try in \(seconds(text("waitMs")))")
        case "fallback": ("default card", "\(channel) refused the card's structure (\(text("reason"))); the default card is sent instead")
        case "dead": ("given up", "for \(channel): \(text("reason"))\(attempt); listed by `dead`")
        case "replayed": ("replayed", "put back in \(channel)'s outbox by `replay`")
        case "console" where text("action") == "replay": ("replayed", "put back in \(channel)'s outbox from the console by \(text("user"))")
        case "digest": ("gathered", "into one digest of \(text("count")) for \(channel)")
        case "folded": ("folded", "with the other cards waiting for \(channel) into one digest of \(text("count"))")
        default: (step, plain)
        }
        return Entry(time: text("time"), what: what, detail: detail)
    }

    /// `INGEST_FAILED (failed)`: the wire value with the alias a person types.
    private static func label(_ trigger: String) -> String {
        TriggerType(rawValue: trigger).map { "\(trigger) (\($0.alias))" } ?? trigger
    }

    private static func seconds(_ milliseconds: String) -> String {
        guard let value = Double(milliseconds) else { return "?" }
        return value < 1000 ? "\(Int(value)) ms" : String(format: "%.1f s", value / 1000)
    }
}
