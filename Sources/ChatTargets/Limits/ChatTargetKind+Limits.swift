import JSON

/// What each service allows, beyond the envelope: its pace, the structure of a body, and the URLs
/// it hands out. The relay asks these; it never decides by a service's name.
extension ChatTargetKind {
    /// Posts per second a channel makes when its configuration sets no `rateLimit`.
    public var defaultPostsPerSecond: Double {
        switch self {
        // Workflows documents no per-trigger limit (§2.7); the connector budget was 4 a second.
        case .teams, .teamsConnector: 4
        // §3: "1 per second; short bursts >1 allowed".
        case .slack: 1
        // §4: 60 writes a minute per space, shared by every app in the space: 45 a minute leaves room.
        case .googleChat: 0.75
        // Discord limits a webhook to 5 posts in 2 s and its channel to 30 in 60 s (discord-api-docs
        // #367): 27 a minute, plus the one post the bucket holds, stays under 30.
        case .discord: 0.45
        // Synapse's default message limit per account is 0.2 a second after a burst of 10
        // (`rc_message`, Synapse's configuration manual): a tenth below it, so network jitter
        // does not meet it. A homeserver that exempts the relay's account can take `rateLimit`.
        case .matrix: 0.18
        case .mattermost, .webhook: 10
        }
    }

    /// Posts a channel may make at once, before ``defaultPostsPerSecond`` applies, when its
    /// configuration sets no `rateLimit`; nil for as many as one second's posts (at least one).
    public var defaultBurst: Double? {
        switch self {
        // Synapse's `rc_message` burst.
        case .matrix: 10
        case .teams, .teamsConnector, .slack, .googleChat, .discord, .mattermost, .webhook: nil
        }
    }

    /// Why the service would refuse or drop `body` (the enveloped payload): its size in bytes
    /// against ``maxPayloadBytes``, and the per-service structure rules (Discord embeds, Slack
    /// blocks, Google Chat's widgets per card). Empty when it fits. The reasons name limits and counts, never the text itself.
    public func problems(in body: JSONValue) -> [String] {
        var found: [String] = []
        let bytes = JSONWriter.bytes(body).count
        if bytes > maxPayloadBytes { found.append("\(bytes) bytes, over the \(maxPayloadBytes)-byte limit") }
        switch self {
        case .discord: found += DiscordEmbedRules.problems(body)
        case .slack: found += SlackBlockRules.problems(body)
        case .googleChat: found += GoogleChatCardRules.problems(body)
        case .teams, .teamsConnector, .mattermost, .matrix, .webhook: break
        }
        return found
    }

    /// A warning about a channel URL on `host`, when the host is not where this service's
    /// webhooks live (or no longer live); nil when it looks right.
    public func urlWarning(host: String) -> String? {
        let host = host.lowercased()
        let loopback = host == "127.0.0.1" || host == "localhost" || host == "::1"
        switch self {
        case .teamsConnector where host.hasSuffix("webhook.office.com"):
            return "Office 365 connectors on webhook.office.com are retired; create a Teams Workflows webhook and use type \"teams\""
        case .teams where host.hasSuffix("logic.azure.com"):
            // §2.2: Microsoft moved Workflows triggers to *.environment.api.powerplatform.com and
            // announced that the old trigger URLs stop working.
            return "Microsoft moved Workflows triggers from *.logic.azure.com to *.environment.api.powerplatform.com "
                + "and old trigger URLs stop working; copy the new URL from the flow's trigger"
        case .teams where !(host.hasSuffix("api.powerplatform.com") || loopback):
            return "this does not look like a Teams Workflows URL (*.environment.api.powerplatform.com)"
        default:
            return nil
        }
    }
}
