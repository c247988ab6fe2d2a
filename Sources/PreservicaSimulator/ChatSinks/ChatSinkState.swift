/// Everything about a running sink that changes: what arrived, scripts, idempotency records, waiters.
struct ChatSinkState: Sendable {
    var port = 0
    var received: [ChatSinkMessage] = []
    var requestLog: [String] = []
    var scripts: [ChatSinkScript] = []
    /// Matrix event ids by `room` + txnId + token, so a retransmission gets the same answer.
    var matrixEvents: [String: String] = [:]
    /// What each Matrix access token may still send (``MatrixMessageAllowance``).
    var matrixAllowances: [String: MatrixMessageAllowance] = [:]
    /// What the Flow bot may still post, per Workflows flow (one flow posts to one channel).
    var teamsAllowances: [String: TeamsBotAllowance] = [:]
    /// Standard Webhooks `webhook-id`s already delivered.
    var webhookIDs: Set<String> = []
    /// Google Chat thread names by space + threadKey.
    var googleChatThreads: [String: String] = [:]
    /// Every Google Chat thread made so far, by name (`spaces/S/threads/T`).
    var googleChatThreadNames: Set<String> = []
    /// What a Google Chat message created with a `requestId` was answered, by space + requestId.
    var googleChatRequests: [String: String] = [:]
    /// Google Chat messages still to be created and shown with their reply lost
    /// (``ChatSink/loseNextGoogleChatReplies(_:)``).
    var googleChatLostReplies = 0
    var waiters: [Int: ChatSinkWaiter] = [:]
    var nextWaiterID = 0
    /// Counts messages created, to make ids unique.
    var serial = 0
    /// Discord messages still to fail to be saved after they were taken (``ChatSink/failNextDiscordSaves(_:)``).
    var discordUnsaved = 0
    /// The Discord webhooks that belong to a forum channel (``ChatSink/discordURL(name:wait:apiVersion:forum:)``).
    var discordForums: Set<String> = []

    /// The scripted reply for a request, if one is queued; consumes it.
    mutating func scriptedReply(target: ChatSinkTarget, path: String) -> ChatSinkReply? {
        guard let index = scripts.firstIndex(where: { $0.applies(to: target, path: path) }) else { return nil }
        let reply = scripts[index].next()
        if scripts[index].replies.isEmpty { scripts.remove(at: index) }
        return reply
    }

    /// Records `message` and hands back the waiters it satisfies, removed, with what to resume them with.
    mutating func record(_ message: ChatSinkMessage) -> [(ChatSinkWaiter, [ChatSinkMessage])] {
        received.append(message)
        var done: [(ChatSinkWaiter, [ChatSinkMessage])] = []
        for (id, waiter) in waiters {
            let matched = waiter.matches(in: received)
            if matched.count >= waiter.count {
                waiters[id] = nil
                done.append((waiter, matched))
            }
        }
        return done
    }

    /// The next serial number.
    mutating func nextSerial() -> Int {
        serial += 1
        return serial
    }
}
