import Foundation
import JSON
import Preservica

/// Finds what changed in Preservica while the relay was away (`entities/updated-since`), leaves
/// out what the audit log shows as already delivered or the journal shows as already received, and
/// turns the rest into ingest notifications for the pipeline.
public struct CatchUp: Sendable {
    /// What a catch-up found.
    public struct Result: Sendable, Equatable {
        /// Assets changed since the date.
        public var changed: Int
        /// Entities deleted since the date: no card, since nothing was ingested.
        public var deleted: Int
        /// Of those, already delivered or received.
        public var skipped: Int
        /// Assets turned into events.
        public var queued: [String]
    }

    private let entities: EntityClient
    private let dataDirectory: String
    private let tenant: String

    /// A catch-up reading Preservica through `entities`, against the spool in `dataDirectory`.
    public init(entities: EntityClient, dataDirectory: String, tenant: String) {
        self.entities = entities
        self.dataDirectory = dataDirectory
        self.tenant = tenant
    }

    /// The assets changed since `since` that still need a card.
    public func pending(since: String) async throws(PreservicaError) -> Result {
        let listed = try await entities.updatedSince(since)
        let changed = listed.filter { !$0.deleted && ($0.type == "IO" || $0.type.isEmpty) }
        let known = knownRefs()
        let queued = changed.map(\.ref).filter { !known.contains($0) }
        return Result(changed: changed.count, deleted: listed.count { $0.deleted }, skipped: changed.count - queued.count,
                      queued: queued)
    }

    /// Notification bodies (50 events each) for `refs`, shaped like Preservica's, trigger
    /// `FULL_TEXT_INDEXED` and event name `CatchUp` so logs and audit show where they came from.
    ///
    /// The timestamp is now, in UTC with its `Z`: a zone-less one would be read in
    /// `preservica.timeZone`. The batches differ by their references, which are in the key.
    public func notifications(for refs: [String]) -> [[UInt8]] {
        let now = Timestamp.iso8601()
        return stride(from: 0, to: refs.count, by: 50).map { start in
            let events = refs[start..<min(refs.count, start + 50)].map { ref -> JSONValue in
                .object(JSONObject([("event", .string("CatchUp")), ("entityType", .string("IO")), ("entityRef", .string(ref)),
                                    ("identifiers", .null)]))
            }
            return JSONWriter.bytes(.object(JSONObject([
                ("subscriptionId", .string("catch-up")), ("timestamp", .string(now)), ("tenant", .string(tenant)),
                ("version", .string("")), ("events", .array(Array(events))), ("trigger", .string("FULL_TEXT_INDEXED")),
            ])))
        }
    }

    /// References the relay has already received (journal) or delivered (audit log).
    private func knownRefs() -> Set<String> {
        var refs = Set<String>()
        for record in IncomingJournal.readRecords(directory: dataDirectory + "/incoming") {
            // Empty parts kept: an empty subscription id must not shift the references.
            for part in record.metadata.key.split(separator: "|", omittingEmptySubsequences: false).dropFirst(3) { refs.insert(String(part)) }
        }
        // A digest names its assets once, on its `digest` or `folded` line, by channel and job.
        var digests: [String: [String]] = [:]
        for line in AuditLog(dataDirectory: dataDirectory).lines() {
            let delivered = line.contains(#""step":"delivered""#)
            guard delivered || line.contains(#""step":"digest""#) || line.contains(#""step":"folded""#),
                  let object = (try? JSONParser.parse(String(line)))?.objectValue else { continue }
            let entities = (object["entities"]?.arrayValue ?? []).compactMap(\.stringValue)
            let key = (object["channel"]?.stringValue ?? "") + "|" + (object["job"]?.stringValue ?? "")
            guard delivered else {
                digests[key] = entities
                continue
            }
            // A delivered line written before digests were named once carries their assets itself.
            refs.formUnion(entities)
            refs.formUnion(digests[key] ?? [])
            guard let event = object["event"]?.stringValue, let hash = event.lastIndex(of: "#") else { continue }
            refs.insert(String(event[event.index(after: hash)...]))
        }
        return refs
    }
}
