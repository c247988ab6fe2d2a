import HTTPServer

/// A real HTTP double of every chat service the relay posts to, on one port and routed by path:
/// Teams Workflows, the Teams O365 connector, Slack, Google Chat, Discord, Mattermost, Matrix and
/// generic (Standard Webhooks) receivers. Each answers with its service's wire format; scripted
/// replies stand in for throttling and failures; everything received is recorded.
public final class ChatSink: Sendable {
    let core: ChatSinkCore
    private let server: HTTPServer

    /// Creates a sink; nothing listens until ``start()``.
    public init(configuration: ChatSinkConfiguration = ChatSinkConfiguration()) {
        core = ChatSinkCore(configuration: configuration)
        server = HTTPServer(configuration: .init(host: configuration.host, port: configuration.port),
                            handler: ChatSinkDispatcher(core: core))
    }

    /// The configuration it was created with.
    public var configuration: ChatSinkConfiguration { core.configuration }

    /// Binds and starts serving; returns the bound port.
    @discardableResult
    public func start() throws -> Int {
        let port = try server.start()
        core.state.withLock { $0.port = port }
        return port
    }

    /// Stops serving, letting requests in progress finish for up to two seconds.
    public func stop() async {
        await server.stop(gracePeriod: .seconds(2))
    }

    /// `http://host:port`, known once started.
    public var baseURL: String { core.baseURL }

    /// Every request to a service path, oldest first, with what the sink answered.
    public var received: [ChatSinkMessage] { core.state.withLock { $0.received } }

    /// The received messages that would show in a chat (``ChatSinkOutcome/delivered``), oldest first.
    public var delivered: [ChatSinkMessage] { received.filter(\.isDelivered) }

    /// One line per request, `"POST /services/T…/B…/…"`, including paths no service lives at.
    public var requestLog: [String] { core.state.withLock { $0.requestLog } }

    /// Forgets what was received, the request log, and the idempotency records (Matrix txnIds,
    /// webhook ids, Google Chat threads and request ids). Scripts stay.
    public func clear() {
        core.state.withLock {
            $0.received.removeAll()
            $0.requestLog.removeAll()
            $0.matrixEvents.removeAll()
            $0.webhookIDs.removeAll()
            $0.googleChatThreads.removeAll()
            $0.googleChatThreadNames.removeAll()
            $0.googleChatRequests.removeAll()
        }
    }

    /// Queues `replies` for `target`: the next requests to it (only those whose path starts with
    /// `path`, when given) get them in order, before any checks, instead of the normal answer;
    /// then normal behaviour resumes. With `repeatingLast` the last reply is kept for good (a dead
    /// target, e.g. ``ChatSinkReply/slackChannelArchived``). Scripts apply in the order queued.
    public func script(_ target: ChatSinkTarget, path: String? = nil, replies: [ChatSinkReply], repeatingLast: Bool = false) {
        guard !replies.isEmpty else { return }
        core.state.withLock {
            $0.scripts.append(ChatSinkScript(target: target, pathPrefix: path, replies: replies, repeatingLast: repeatingLast))
        }
    }

    /// The next `count` Discord messages that pass every check are then not saved, as when
    /// Discord fails after taking a message. Discord's documentation of `wait`: "when `false` a
    /// message that is not saved does not return an error" (discord.com/developers/docs/resources/webhook#execute-webhook).
    /// So without `?wait=true` the answer is still 204 and nothing is shown; with it, an error
    /// (500 here: the documentation names no status).
    public func failNextDiscordSaves(_ count: Int) {
        core.state.withLock { $0.discordUnsaved = max(0, count) }
    }

    /// The next `count` Google Chat messages that pass every check are created and shown, but
    /// their reply is lost: the sender gets a 503, as from a gateway that gave up after the
    /// message was made. Only a retry with the same `requestId` is then not shown twice.
    public func loseNextGoogleChatReplies(_ count: Int) {
        core.state.withLock { $0.googleChatLostReplies = max(0, count) }
    }

    /// Drops every queued reply.
    public func clearScripts() {
        core.state.withLock { $0.scripts.removeAll() }
    }

    /// Waits until at least `count` received messages satisfy `predicate` (all do by default) and
    /// returns them, oldest first; after `timeout`, returns those that arrived so far.
    public func waitForMessages(count: Int, timeout: Duration = .seconds(5),
                                where predicate: @escaping @Sendable (ChatSinkMessage) -> Bool = { _ in true }) async -> [ChatSinkMessage] {
        let core = self.core
        return await withCheckedContinuation { continuation in
            let ready: [ChatSinkMessage]? = core.state.withLock { state in
                let matched = state.received.filter(predicate)
                if matched.count >= count { return matched }
                state.nextWaiterID += 1
                let id = state.nextWaiterID
                state.waiters[id] = ChatSinkWaiter(count: count, predicate: predicate, continuation: continuation)
                Task {
                    try? await Task.sleep(for: timeout)
                    core.expireWaiter(id)
                }
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
