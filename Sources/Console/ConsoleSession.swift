import Preservica

/// One signed-in person. The id lives only in the browser's cookie; the store keeps its hash.
public struct ConsoleSession: Sendable {
    /// The session id (the cookie's value); never logged.
    public var id: String
    /// The token state-changing requests must carry in `X-CSRF-Token`.
    public var csrfToken: String
    /// Who signed in, with their roles.
    public var user: PreservicaUser
    /// Whether they may manage everyone's channels.
    public var isAdmin: Bool
    /// When they signed in.
    public var created: ContinuousClock.Instant
    /// When the session was last used.
    public var lastUsed: ContinuousClock.Instant
}
