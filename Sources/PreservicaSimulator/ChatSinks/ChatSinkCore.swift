import Synchronization

/// The sink's configuration and state, shared by the request handler and the public facade.
final class ChatSinkCore: Sendable {
    let configuration: ChatSinkConfiguration
    let state = Mutex(ChatSinkState())

    init(configuration: ChatSinkConfiguration) {
        self.configuration = configuration
    }

    /// `http://host:port` once started.
    var baseURL: String {
        let port = state.withLock { $0.port }
        let host = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
        return "http://\(host):\(port)"
    }

    /// Appends `message` to what was received and wakes the waiters it satisfies.
    func record(_ message: ChatSinkMessage) {
        let satisfied = state.withLock { $0.record(message) }
        for (waiter, messages) in satisfied { waiter.continuation.resume(returning: messages) }
    }

    /// Gives up on waiter `id` (if still waiting), resuming it with what matched so far.
    func expireWaiter(_ id: Int) {
        let expired: (ChatSinkWaiter, [ChatSinkMessage])? = state.withLock { state in
            guard let waiter = state.waiters.removeValue(forKey: id) else { return nil }
            return (waiter, waiter.matches(in: state.received))
        }
        if let (waiter, messages) = expired { waiter.continuation.resume(returning: messages) }
    }
}
