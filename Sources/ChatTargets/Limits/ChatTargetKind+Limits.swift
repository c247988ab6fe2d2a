import JSON

/// What each service allows, beyond the envelope: its pace, the structure of a body, and the URLs
/// it hands out. The relay asks these; it never decides by a service's name.
extension ChatTargetKind {
    /// The paces a channel keeps when its configuration sets no `rateLimit`, every one at once.
    public var defaultPaces: [PostPace] {
        switch self {
        // What Teams lets one bot post in one channel (§2.7, ``documentedWindows``), which binds the
        // Flow bot that posts a Workflows card: 4 at once, then one a second keeps a second's and
        // two seconds' posts two under the limit (a flow's run time varies, and may bring posts
        // closer together); 1,700 an hour after 90 at once keeps any hour to 1,790 of 1,800.
        case .teams: [PostPace(perSecond: 1, burst: 4), PostPace(perSecond: 1_700.0 / 3_600, burst: 90)]
        // The connectors' own windows (§1.3): 3 at once then one a second keeps to 4 a second;
        // 50 an hour after 50 at once keeps to 100 an hour, 150 in two and 1,800 a day.
        case .teamsConnector: [PostPace(perSecond: 1, burst: 3), PostPace(perSecond: 50.0 / 3_600, burst: 50)]
        // §3: "1 per second; short bursts >1 allowed".
        case .slack: [PostPace(perSecond: 1, burst: 1)]
        // §4: 60 writes a minute per space, shared by every app in the space: 45 a minute leaves room.
        case .googleChat: [PostPace(perSecond: 0.75, burst: 1)]
        // Discord limits a webhook to 5 posts in 2 s and its channel to 30 in 60 s (discord-api-docs
        // #367): 27 a minute, plus the one post the bucket holds, stays under 30.
        case .discord: [PostPace(perSecond: 0.45, burst: 1)]
        // Synapse's default message limit per account is 0.2 a second after a burst of 10
        // (`rc_message`, Synapse's configuration manual): a tenth below it, so network jitter
        // does not meet it. A homeserver that exempts the relay's account can take `rateLimit`.
        case .matrix: [PostPace(perSecond: 0.18, burst: 10)]
        case .mattermost, .webhook: [PostPace(perSecond: 10, burst: 10)]
        }
    }

    /// The paces of a channel: ``defaultPaces``, or when its configuration sets `rateLimit`, that
    /// many posts a second after one second's posts (at least one) at once, and nothing else (a
    /// Workflows flow may post somewhere other than a Teams channel, or a homeserver exempt the
    /// relay's account: who sets it knows).
    public func paces(rateLimit: Double?) -> [PostPace] {
        guard let rateLimit else { return defaultPaces }
        return [PostPace(perSecond: rateLimit, burst: max(1, rateLimit))]
    }

    /// What the service documents that a channel may post, as windows: a pace of
    /// ``defaultPaces`` must keep to every one of them.
    public var documentedWindows: [PostWindow] {
        switch self {
        // "Per bot per thread limit", MicrosoftDocs/msteams-docs msteams-platform/bots/how-to/rate-limit.md:
        // Send to Conversation 7 in 1 s, 8 in 2 s, 60 in 30 s, 1,800 in 3,600 s, per conversation
        // (a channel).
        case .teams:
            [PostWindow(posts: 7, seconds: 1), PostWindow(posts: 8, seconds: 2), PostWindow(posts: 60, seconds: 30),
             PostWindow(posts: 1_800, seconds: 3_600)]
        // "Rate limiting for connectors" (msteams-docs connectors-using.md), per webhook per channel.
        case .teamsConnector:
            [PostWindow(posts: 4, seconds: 1), PostWindow(posts: 60, seconds: 30), PostWindow(posts: 100, seconds: 3_600),
             PostWindow(posts: 150, seconds: 7_200), PostWindow(posts: 1_800, seconds: 86_400)]
        case .googleChat: [PostWindow(posts: 60, seconds: 60)]
        case .discord: [PostWindow(posts: 5, seconds: 2), PostWindow(posts: 30, seconds: 60)]
        case .slack, .matrix, .mattermost, .webhook: []
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
