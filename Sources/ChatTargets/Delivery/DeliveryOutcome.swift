/// What a chat service's reply means for a delivery.
public enum DeliveryOutcome: Sendable, Equatable {
    /// The service took the message.
    case delivered
    /// Try again later: throttled, a server error, or a timeout; `after` is the wait the service asked for.
    case retry(after: Duration?, reason: String)
    /// The service will never take this message (a bad payload, an unexpected refusal).
    case rejected(reason: String)
    /// The service says the destination itself no longer takes posts (the webhook deleted or
    /// revoked, the Teams workflow turned off, the channel archived, the bot's token revoked): no
    /// card to it can go until the channel gets a new address, and posting each one would only be
    /// refused again (Discord restricts senders that keep posting to a deleted webhook).
    case gone(reason: String)
    /// The service refused the body's structure (Discord 400 code 50035, Slack `invalid_blocks`):
    /// the same message as a simpler card may pass.
    case invalidPayload(reason: String)
    /// The channel takes a message only as the start of a thread of its own (a Discord forum or
    /// media channel's webhook, 400 code 220001): send it again with
    /// ``ChatDestination/threadName`` set, and keep doing so for the channel.
    case threadRequired(reason: String)
}
