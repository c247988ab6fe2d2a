import Foundation
import JSON

/// One card waiting to be posted to one channel: a file in `outbox/<channel>/` until it is
/// delivered, or in `dead/<channel>/` when it failed for good.
public struct DeliveryJob: Sendable, Equatable {
    /// The job's name for operators and the audit log: sequence, event index and channel.
    public var id: String
    /// The id the service sees (Matrix transaction id, Standard Webhooks `webhook-id`): unique
    /// across spools, the same on every retry of this card.
    public var deliveryId: String
    /// The file name (without directory); names sort in the order the cards must go out.
    public var name: String
    /// The channel's name.
    public var channel: String
    /// `asset`, `digest` or `failure`.
    public var kind: String
    /// The event it is about, `<journal sequence>/<event index>#<entity ref>`, for the audit log
    /// and operators; constant in size, whatever the size of the notification.
    public var event: String
    /// The asset's reference (empty for a digest).
    public var ref: String = ""
    /// The asset's title, or the digest's summary, for operators reading `dead/`.
    public var title: String = ""
    /// When the relay received the notification behind this card (ISO 8601), for event-to-card latency.
    public var receivedAt: String = ""
    /// The data model the card was rendered from (unless it is over ``CardPlanner/keptModelBytes``):
    /// waiting cards on digest channels are folded from it when the service falls far behind, and a
    /// card is made again from it when its channel's type changed while it waited.
    public var model: JSONValue?
    /// When the job was made (ISO 8601).
    public var createdAt: String
    /// When an operator last put it back from `dead/` (ISO 8601), or empty: a replayed card's
    /// `maxAge` counts from then, or an old card would get a single attempt.
    public var replayedAt: String = ""
    /// Attempts made so far, not counting those the service throttled (``throttles``).
    public var attempts: Int
    /// Attempts the service answered 429 to: they lengthen the backoff but do not use up
    /// `maxAttempts` (throttling says "later", not "no"; `maxAge` still bounds it).
    public var throttles = 0
    /// Earliest next attempt, milliseconds since 1970.
    public var nextAttemptAt: Int64
    /// The request body, exactly as it will be posted.
    public var payload: JSONValue
    /// The default card for the same data, kept when `payload` came from a custom template: sent
    /// once instead if the service refuses the custom card's structure.
    public var fallback: JSONValue?
    /// The last reply or error, in words.
    public var lastReply: String
    /// The chat service the payload was made for (`ChatTargetKind`'s raw value); empty in jobs
    /// written before it was kept. A reload that changes the channel's type leaves such a job
    /// with an envelope the new service cannot read.
    public var target: String = ""
    /// For a digest folded from waiting cards: their file names. A kill part way through the fold
    /// can leave some of them; they are removed before the channel posts anything
    /// (``CardPlanner/finishFolds(channel:)``), since the digest carries them.
    public var folded: [String] = []
    /// For a digest: every asset it covers, listed on the card or counted in its "more", so that
    /// `audit --ref` and catch-up find the asset's delivery.
    public var refs: [String] = []
    /// The asset's security tags when the card was planned, and whether the card hides its
    /// details: a card is posted only if the channel's security policy, as it is when the card's
    /// turn comes, would still have made it so. Nil in a digest and in jobs written before it was kept.
    public var security: ItemSecurity?
    /// For a digest: the same for each asset it covers.
    public var items: [ItemSecurity] = []

    /// The security tags in a card of an asset, and whether the card hides its details.
    public struct ItemSecurity: Sendable, Equatable {
        /// The asset's own tag.
        public var securityTag: String
        public var redacted: Bool
        /// The tags of the folders the card names: those above the asset, and those it was in
        /// before a move when the card says so. Nil in cards planned before they were kept.
        public var folderTags: [String]?

        public init(securityTag: String, redacted: Bool, folderTags: [String]? = nil) {
            self.securityTag = securityTag
            self.redacted = redacted
            self.folderTags = folderTags
        }

        /// Whether `policy` lets the card through as it was made: not when it would now skip the
        /// asset, or hide details the card shows. A policy held to folders (a console channel's)
        /// reads the folders' tags too: a card naming a folder that must not be shown is not
        /// posted, as the card would not have named it.
        func isAllowed(by policy: SecurityTagPolicy) -> Bool {
            ([securityTag] + (policy.folders ? folderTags ?? [] : [])).allSatisfy { tag in
                switch policy.decision(for: tag) {
                case .skip: false
                case .redact: redacted
                case .show: true
                }
            }
        }

        var json: JSONValue {
            .object(JSONObject([("securityTag", .string(securityTag)), ("redacted", .bool(redacted)),
                                ("folderTags", folderTags.map { .array($0.map(JSONValue.string)) } ?? .null)]))
        }

        /// Read from a job's own members or an item's; nil without a tag.
        init?(_ object: JSONObject) {
            guard let tag = object["securityTag"]?.stringValue else { return nil }
            self.init(securityTag: tag, redacted: object["redacted"] == .bool(true),
                      folderTags: object["folderTags"]?.arrayValue.map { $0.compactMap(\.stringValue) })
        }
    }

    /// Whether `policy` lets this card through as it was made, for its asset or every asset of a digest.
    func isAllowed(by policy: SecurityTagPolicy) -> Bool {
        ((security.map { [$0] } ?? []) + items).allSatisfy { $0.isAllowed(by: policy) }
    }

    /// Creates a job.
    public init(id: String, name: String, channel: String, kind: String, event: String, createdAt: String, attempts: Int = 0,
                nextAttemptAt: Int64 = 0, payload: JSONValue, lastReply: String = "", deliveryId: String? = nil) {
        self.id = id
        self.deliveryId = deliveryId ?? DeliveryId.make()
        self.name = name
        self.channel = channel
        self.kind = kind
        self.event = event
        self.createdAt = createdAt
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.payload = payload
        self.lastReply = lastReply
    }

    var json: JSONValue {
        .object(JSONObject([
            ("id", .string(id)), ("deliveryId", .string(deliveryId)), ("channel", .string(channel)), ("kind", .string(kind)), ("event", .string(event)),
            ("ref", .string(ref)), ("title", .string(title)), ("receivedAt", .string(receivedAt)),
            ("createdAt", .string(createdAt)), ("attempts", .number(Double(attempts))), ("nextAttemptAt", .number(Double(nextAttemptAt))),
            ("lastReply", .string(lastReply)), ("payload", payload), ("fallback", fallback ?? .null), ("model", model ?? .null),
            ("replayedAt", .string(replayedAt)), ("folded", folded.isEmpty ? .null : .array(folded.map(JSONValue.string))),
            ("throttles", throttles == 0 ? .null : .number(Double(throttles))),
            ("target", target.isEmpty ? .null : .string(target)), ("refs", refs.isEmpty ? .null : .array(refs.map(JSONValue.string))),
            ("securityTag", security.map { .string($0.securityTag) } ?? .null), ("redacted", security?.redacted == true ? .bool(true) : .null),
            ("folderTags", security?.folderTags.map { .array($0.map(JSONValue.string)) } ?? .null),
            ("items", items.isEmpty ? .null : .array(items.map(\.json))),
        ]))
    }

    init?(name: String, json: JSONValue) {
        guard let object = json.objectValue, let id = object["id"]?.stringValue, let channel = object["channel"]?.stringValue,
              let payload = object["payload"] else { return nil }
        self.init(id: id, name: name, channel: channel, kind: object["kind"]?.stringValue ?? "asset",
                  event: object["event"]?.stringValue ?? "", createdAt: object["createdAt"]?.stringValue ?? "",
                  attempts: Int(object["attempts"]?.int64Value ?? 0), nextAttemptAt: object["nextAttemptAt"]?.int64Value ?? 0,
                  payload: payload, lastReply: object["lastReply"]?.stringValue ?? "",
                  deliveryId: object["deliveryId"]?.stringValue
                    ?? DeliveryId.legacy(id: id, createdAt: object["createdAt"]?.stringValue ?? ""))
        fallback = object["fallback"].flatMap { $0 == .null ? nil : $0 }
        ref = object["ref"]?.stringValue ?? ""
        title = object["title"]?.stringValue ?? ""
        receivedAt = object["receivedAt"]?.stringValue ?? ""
        model = object["model"].flatMap { $0 == .null ? nil : $0 }
        replayedAt = object["replayedAt"]?.stringValue ?? ""
        throttles = Int(object["throttles"]?.int64Value ?? 0)
        folded = object["folded"]?.arrayValue?.compactMap(\.stringValue) ?? []
        target = object["target"]?.stringValue ?? ""
        refs = object["refs"]?.arrayValue?.compactMap(\.stringValue) ?? []
        security = ItemSecurity(object)
        items = (object["items"]?.arrayValue ?? []).compactMap { $0.objectValue.flatMap(ItemSecurity.init) }
    }

    /// What the audit log's lines about this job say besides their step: the channel, the job,
    /// its event, the attempt, and its asset. A digest's assets are named once, on its `digest`
    /// or `folded` line, which names the job: a digest of thousands is not repeated on every retry.
    func auditFields(channel: ChannelSettings) -> [(String, JSONValue)] {
        var fields: [(String, JSONValue)] = [("channel", .string(channel.name)), ("host", .string(channel.host)), ("job", .string(id)),
                                             ("event", .string(event)), ("attempt", .number(Double(attempts)))]
        if throttles > 0 { fields.append(("throttled", .number(Double(throttles)))) }
        if !ref.isEmpty { fields.append(("entity", .string(ref))) }
        return fields
    }

    /// Where its age for `maxAge` counts from: the last replay, else its making.
    var ageFrom: String { replayedAt.isEmpty ? createdAt : replayedAt }
}
