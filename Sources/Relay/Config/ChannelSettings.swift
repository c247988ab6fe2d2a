import Foundation
import Preservica
import ChatTargets
import JSON

/// One configured chat channel: where cards go and how.
public struct ChannelSettings: Sendable {
    /// The channel's name in the configuration.
    public var name: String
    /// The chat service; what it allows (pace, limits, structure) lives with it in ChatTargets.
    public var type: ChatTargetKind
    /// The incoming-webhook URL (a secret: it carries the key). For matrix, the homeserver URL.
    public var url: Secret
    /// Matrix: the room id; nil for other types.
    public var room: String?
    /// Matrix: the access token; the generic webhook: an optional `whsec_` signing secret.
    public var token: Secret?
    /// Template files per card kind (`asset`, `digest`, `failure`); missing kinds use the defaults.
    public var templates: [String: String]
    /// Most posts per second (nil: the service's default).
    public var rateLimit: Double?
    /// Gather bursts into one digest card, when set.
    public var digest: DigestSettings?
    /// Security tags allowed (nil: all) and denied, and what to do with a denied asset.
    public var securityTags: SecurityTagPolicy
    /// Attempts before a job is dead-lettered.
    public var maxAttempts: Int
    /// Age after which a job still failing is dead-lettered.
    public var maxAge: Duration
    /// Whether every card first asks that the URL's host resolve to public addresses only
    /// (``ChannelAddressPolicy``): a curator's console channel, whose host was checked when it was
    /// saved but may resolve elsewhere since. A card refused so is retried, and dead-lettered with
    /// the reason as any other failure.
    public var publicAddressesOnly = false

    /// Creates settings with defaults for everything but the essentials.
    public init(name: String, type: ChatTargetKind, url: Secret, room: String? = nil, token: Secret? = nil, templates: [String: String] = [:],
                rateLimit: Double? = nil, digest: DigestSettings? = nil, securityTags: SecurityTagPolicy = SecurityTagPolicy(),
                maxAttempts: Int = 12, maxAge: Duration = .seconds(86_400)) {
        self.name = name
        self.type = type
        self.url = url
        self.room = room
        self.token = token
        self.templates = templates
        self.rateLimit = rateLimit
        self.digest = digest
        self.securityTags = securityTags
        self.maxAttempts = maxAttempts
        self.maxAge = maxAge
    }

    /// The host the channel posts to, safe to log (never the path or query, which carry keys).
    public var host: String { URL(string: url.reveal)?.host ?? "?" }

    /// Where the channel posts; nil for a URL that does not parse.
    var destination: ChatDestination? {
        URL(string: url.reveal).map { ChatDestination(url: $0, room: room, token: token?.reveal) }
    }

    /// What the service's limit counts for this channel (``ChatTargetKind/paceScope(of:)``).
    var paceScope: String? { destination.map(type.paceScope(of:)) }
}

/// When a channel folds a burst of assets into one digest card.
public struct DigestSettings: Sendable, Equatable {
    /// How long a burst is gathered after its first asset.
    public var window: Duration
    /// Fewer assets than this in the window go out as single cards.
    public var threshold: Int
    /// Most assets listed on the digest card (the rest are counted as "+N more").
    public var maxItems: Int
    /// When the oldest card waiting has waited this long (the service throttles or is down) and at
    /// least `threshold` are waiting, they are folded into one digest instead of drowning the channel.
    public var foldAfter: Duration

    /// Creates digest settings.
    public init(window: Duration = .seconds(60), threshold: Int = 10, maxItems: Int = 15, foldAfter: Duration = .seconds(300)) {
        self.window = window
        self.threshold = threshold
        self.maxItems = maxItems
        self.foldAfter = foldAfter
    }
}

/// Which security tags a channel may show.
public struct SecurityTagPolicy: Sendable, Equatable {
    /// Only these tags (nil: any).
    public var allow: [String]?
    /// Never these tags.
    public var deny: [String]
    /// A denied asset is posted with its title and description hidden (true) or not at all (false).
    public var redact: Bool
    /// Whether every folder above the asset is held to the policy too, as the console shows a
    /// curator only an asset whose folders all pass: a console channel's card names its folders.
    public var folders = false

    /// Creates a policy; the default allows everything.
    public init(allow: [String]? = nil, deny: [String] = [], redact: Bool = false) {
        self.allow = allow
        self.deny = deny
        self.redact = redact
    }

    /// What to do with an asset carrying `tag`.
    public func decision(for tag: String) -> SecurityTagDecision {
        let denied = deny.contains(tag) || (allow.map { !$0.contains(tag) } ?? false)
        if !denied { return .show }
        return redact ? .redact : .skip
    }

    /// What to do with `asset`, and why (for the audit line of a card not shown as it is). With
    /// ``folders`` the strictest decision of the asset's and its folders' tags, and an asset whose
    /// folders could not be read is skipped: they are not known to pass.
    public func decision(for asset: EnrichedAsset) -> (SecurityTagDecision, reason: String) {
        let tag = asset.asset?.securityTag ?? ""
        let own = decision(for: tag)
        guard folders, own != .skip else { return (own, "security tag \(tag)") }
        if !asset.pathRead && asset.asset?.parentRef != nil {
            return (.skip, "the folders above it could not be read, and this channel gets only assets whose folders it may show")
        }
        for folder in asset.path {
            let held = decision(for: folder.securityTag)
            if held != .show { return (held, "security tag of a folder above it (\(folder.securityTag))") }
        }
        return (own, "security tag \(tag)")
    }

    /// Whether a card may say where the asset was before, when those folders carried `folderTags`
    /// (nil: not known).
    public func mayShowPrevious(folderTags: [String]?) -> Bool {
        guard folders else { return true }
        guard let folderTags else { return false }
        return folderTags.allSatisfy { decision(for: $0) == .show }
    }
}

/// The outcome of a ``SecurityTagPolicy``.
public enum SecurityTagDecision: Sendable, Equatable {
    /// Post as is.
    case show
    /// Post with the title and description hidden.
    case redact
    /// Do not post.
    case skip
}
