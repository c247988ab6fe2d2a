import Foundation

/// Realistic-looking URLs on the sink for each service, carrying the configured credentials.
/// The same name always gives the same URL.
extension ChatSink {
    /// A Teams Workflows trigger URL on the Power Platform path, with `api-version`, `sp`, `sv` and `sig`.
    public func teamsWorkflowURL(name: String = "relay") -> String {
        let flow = String(ChatSinkIdentifier.hex("workflow:\(name)").prefix(32))
        return baseURL + "/powerautomate/automations/direct/workflows/\(flow)/triggers/manual/paths/invoke"
            + "?api-version=1&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=\(configuration.teamsSignature)"
    }

    /// A Teams O365 connector URL, `/webhookb2/{A}@{tenant}/IncomingWebhook/{B}/{C}/{D}`.
    public func teamsConnectorURL(name: String = "relay") -> String {
        let hex = ChatSinkIdentifier.hex("connector:\(name)")
        let group = Self.uuid(hex), tenant = Self.uuid(ChatSinkIdentifier.hex("tenant:\(name)"))
        return baseURL + "/webhookb2/\(group)@\(tenant)/IncomingWebhook/\(hex.prefix(32))/\(Self.uuid(String(hex.suffix(32))))"
            + "/" + ChatSinkIdentifier.alphanumeric("connector-token:\(name)", count: 40)
    }

    /// A Slack incoming webhook URL, `/services/T…/B…/{24 characters}`.
    public func slackURL(channel: String = "alerts") -> String {
        let team = "T" + ChatSinkIdentifier.alphanumeric("team", count: 10).uppercased()
        let bot = "B" + ChatSinkIdentifier.alphanumeric("bot:\(channel)", count: 10).uppercased()
        return baseURL + "/services/\(team)/\(bot)/" + ChatSinkIdentifier.alphanumeric("slack:\(channel)", count: 24)
    }

    /// A Google Chat webhook URL, `/v1/spaces/{space}/messages?key=…&token=…`.
    public func googleChatURL(space: String = "AAAArelay") -> String {
        baseURL + "/v1/spaces/\(space)/messages?key=AIzaSy" + ChatSinkIdentifier.alphanumeric("key:\(space)", count: 33)
            + "&token=\(configuration.googleChatToken)"
    }

    /// A Discord webhook URL as Discord hands it out, `/api/webhooks/{id}/{token}` (unversioned,
    /// served as API v6), or `/api/v{apiVersion}/webhooks/…`; with `?wait=true` when `wait`. With
    /// `forum`, the webhook belongs to a forum channel: every message must start a post
    /// (`thread_name`) or go into one (`?thread_id=`).
    public func discordURL(name: String = "relay", wait: Bool = false, apiVersion: Int? = nil, forum: Bool = false) -> String {
        let id = ChatSinkIdentifier.snowflake((forum ? "discord-forum:" : "discord:") + name)
        if forum { core.state.withLock { _ = $0.discordForums.insert(id) } }
        return baseURL + "/api/" + (apiVersion.map { "v\($0)/" } ?? "") + "webhooks/\(id)/"
            + ChatSinkIdentifier.alphanumeric("discord-token:\(name)", count: 68) + (wait ? "?wait=true" : "")
    }

    /// A Mattermost incoming webhook URL, `/hooks/{26 characters}`.
    public func mattermostURL(name: String = "relay") -> String {
        baseURL + "/hooks/" + ChatSinkIdentifier.alphanumeric("mattermost:\(name)", count: 26).lowercased()
    }

    /// The Matrix homeserver's base URL (requests go to `/_matrix/client/v3/...` under it).
    public var matrixHomeserver: String { baseURL }

    /// The access token Matrix requests must send as `Authorization: Bearer`.
    public var matrixAccessToken: String { configuration.matrixAccessToken }

    /// The send URL for `roomId` (percent-encoded) and `txnId`.
    public func matrixSendURL(roomId: String = "!relay:sink.local", txnId: String) -> String {
        baseURL + "/_matrix/client/v3/rooms/\(Self.encode(roomId))/send/m.room.message/\(Self.encode(txnId))"
    }

    /// A generic webhook URL, `/hooks/generic/{name}`.
    public func webhookURL(name: String = "relay") -> String {
        baseURL + "/hooks/generic/\(Self.encode(name))"
    }

    /// The URL each target posts to by default, for loops over ``ChatSinkTarget/allCases``
    /// (Matrix: a send URL with txnId `txn-1`).
    public func url(for target: ChatSinkTarget) -> String {
        switch target {
        case .teams: teamsWorkflowURL()
        case .teamsConnector: teamsConnectorURL()
        case .slack: slackURL()
        case .googleChat: googleChatURL()
        case .discord: discordURL()
        case .mattermost: mattermostURL()
        case .matrix: matrixSendURL(txnId: "txn-1")
        case .webhook: webhookURL()
        }
    }

    private static func uuid(_ hex: String) -> String {
        let h = Array(hex.prefix(32))
        return [h[0..<8], h[8..<12], h[12..<16], h[16..<20], h[20..<32]].map { String($0) }.joined(separator: "-")
    }

    private static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(.init(charactersIn: "/!:?#[]@$&'()*+,;="))) ?? text
    }
}
