import Foundation

/// Where one channel posts: the webhook URL (or Matrix homeserver), and for Matrix the room and
/// token, for a signed webhook the `whsec_` secret.
public struct ChatDestination: Sendable {
    /// The incoming-webhook URL, or the Matrix homeserver's base URL.
    public let url: URL
    /// Matrix room id.
    public let room: String?
    /// Matrix access token, or the generic webhook's `whsec_` secret.
    public let token: String?
    /// The keys in `url` and `token`, found once, for `scrub` to take out of every reply.
    let secrets: [String]
    /// Where a channel takes messages only as threads of their own (a Discord forum channel), the
    /// name of the thread this message starts: the card's title, as plain text. Nil elsewhere.
    public var threadName: String?

    /// Creates a destination.
    public init(url: URL, room: String? = nil, token: String? = nil) {
        self.url = url
        self.room = room
        self.token = token
        secrets = Self.secrets(url: url, token: token)
    }
}
