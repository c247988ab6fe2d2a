/// A caller of ``ChatSink/waitForMessages(count:timeout:where:)`` still waiting.
struct ChatSinkWaiter: Sendable {
    var count: Int
    var predicate: @Sendable (ChatSinkMessage) -> Bool
    var continuation: CheckedContinuation<[ChatSinkMessage], Never>

    /// The received messages this waiter counts.
    func matches(in received: [ChatSinkMessage]) -> [ChatSinkMessage] {
        received.filter(predicate)
    }
}
