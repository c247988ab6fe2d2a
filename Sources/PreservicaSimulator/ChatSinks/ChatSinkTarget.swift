/// A chat service the sink stands in for; the raw value is the name used in logs and docs.
public enum ChatSinkTarget: String, CaseIterable, Sendable {
    /// Microsoft Teams through a Workflows (Power Automate) webhook trigger.
    case teams
    /// The retired Office 365 connector incoming webhook of Microsoft Teams.
    case teamsConnector = "teams-connector"
    /// A Slack incoming webhook.
    case slack
    /// A Google Chat incoming webhook.
    case googleChat = "google-chat"
    /// A Discord webhook.
    case discord
    /// A Mattermost incoming webhook.
    case mattermost
    /// A Matrix homeserver's client-server API (sending room messages).
    case matrix
    /// A generic JSON webhook, optionally signed as Standard Webhooks says.
    case webhook
}
