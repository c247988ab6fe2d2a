/// Credentials and limits a ``ChatSink`` is started with. The URL builders on ``ChatSink`` put
/// these credentials in the URLs they return.
public struct ChatSinkConfiguration: Sendable {
    /// Host to bind.
    public var host: String
    /// Port to bind; 0 picks a free one.
    public var port: Int
    /// The `sig` every Teams Workflows URL must carry (the SAS signature that is the credential).
    public var teamsSignature: String
    /// The `token` every Google Chat URL must carry.
    public var googleChatToken: String
    /// The access token Matrix requests must present as `Authorization: Bearer`.
    public var matrixAccessToken: String
    /// A Standard Webhooks secret (`whsec_` + base64 of 24–64 bytes); when set, generic webhooks must be signed with it.
    public var webhookSecret: String?
    /// How far `webhook-timestamp` may be from the sink's clock (the reference libraries use 5 minutes).
    public var webhookTolerance: Duration
    /// Matrix messages the access token may send a second on average, after a burst of
    /// ``matrixMessageBurst``: Synapse's defaults (`rc_message`: 0.2 and 10). 0 sets no limit.
    public var matrixMessagesPerSecond: Double
    /// Matrix messages the access token may send at once.
    public var matrixMessageBurst: Double
    /// Whether a Teams Workflows flow's post is held to what Teams lets a bot post in one channel
    /// (``TeamsBotAllowance``); a post over it fails silently after the 202.
    public var teamsBotLimits: Bool

    /// Creates a configuration.
    public init(host: String = "127.0.0.1", port: Int = 0, teamsSignature: String = "k3Xq9Rz1sFw7LmN2pVb8TcYd4HgJe6Ua0oQiK5nSrBw",
                googleChatToken: String = "Zm9vYmFyLXJlbGF5LXRva2Vu", matrixAccessToken: String = "syt_cmVsYXk_sinkTokenAbc123_0xYz9",
                webhookSecret: String? = nil, webhookTolerance: Duration = .seconds(300),
                matrixMessagesPerSecond: Double = 0.2, matrixMessageBurst: Double = 10, teamsBotLimits: Bool = true) {
        self.host = host
        self.port = port
        self.teamsSignature = teamsSignature
        self.googleChatToken = googleChatToken
        self.matrixAccessToken = matrixAccessToken
        self.webhookSecret = webhookSecret
        self.webhookTolerance = webhookTolerance
        self.matrixMessagesPerSecond = matrixMessagesPerSecond
        self.matrixMessageBurst = matrixMessageBurst
        self.teamsBotLimits = teamsBotLimits
    }
}
