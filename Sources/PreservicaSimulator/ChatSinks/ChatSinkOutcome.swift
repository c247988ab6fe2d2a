/// What became of one request the sink received, as the chat service would see it.
public enum ChatSinkOutcome: Sendable, Equatable {
    /// Accepted and shown in the chat.
    case delivered
    /// Accepted at the HTTP level (Teams Workflows answers 202) but the flow then fails, so
    /// nothing is shown and the sender is never told; the text says why.
    case silentlyFailed(String)
    /// Refused with an error answer; the text says why.
    case rejected(String)
    /// Answered with a reply queued by ``ChatSink/script(_:path:replies:repeatingLast:)``.
    case scripted
    /// A retransmission of something already delivered (same Matrix txnId or same `webhook-id`):
    /// answered as the first time, shown only once.
    case duplicate
}
