/// What happened to a test card, in words a curator understands.
public struct TestCardResult: Sendable, Equatable {
    /// Whether the service took it.
    public var delivered: Bool
    /// The service's reply in words, e.g. "Teams accepted it." (never the URL).
    public var message: String
    /// The HTTP status, when the service answered.
    public var status: Int?
    /// The asset the card was about.
    public var assetRef: String
    /// What a curator should know besides: the card's contents are made up, or real cards for this
    /// asset would not reach the channel (and why). Also at the end of ``message``.
    public var note: String?
}
