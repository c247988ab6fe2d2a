/// What a chat service's reply means for a delivery.
public enum DeliveryOutcome: Sendable, Equatable {
    /// The service took the message.
    case delivered
    /// Try again later: throttled, a server error, or a timeout; `after` is the wait the service asked for.
    case retry(after: Duration?, reason: String)
    /// The service will never take this message (bad payload, dead URL, bad credentials).
    case rejected(reason: String)
    /// The service refused the body's structure (Discord 400 code 50035, Slack `invalid_blocks`):
    /// the same message as a simpler card may pass.
    case invalidPayload(reason: String)
    /// The channel takes a message only as the start of a thread of its own (a Discord forum or
    /// media channel's webhook, 400 code 220001): send it again with
    /// ``ChatDestination/threadName`` set, and keep doing so for the channel.
    case threadRequired(reason: String)
}
