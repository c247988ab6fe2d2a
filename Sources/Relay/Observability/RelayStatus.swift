import Foundation
import Synchronization

/// What the status page shows: per channel the last success and failure, and the last 20
/// delivery attempts. Titles and URLs are never kept here.
public final class RelayStatus: Sendable {
    /// One delivery attempt as the status page lists it.
    public struct Attempt: Sendable {
        public var time: String
        public var channel: String
        public var job: String
        public var outcome: String
        public var detail: String
    }

    private struct State {
        var lastSuccess: [String: String] = [:]
        var lastFailure: [String: (time: String, detail: String)] = [:]
        var attempts: [Attempt] = []
    }

    private let state = Mutex(State())
    /// When the relay started.
    public let started = Date()

    /// An empty status.
    public init() {}

    /// Records one attempt's outcome (`delivered`, `retry` or `dead`).
    public func record(channel: String, job: String, outcome: String, detail: String) {
        let now = Timestamp.iso8601()
        state.withLock { state in
            if outcome == "delivered" {
                state.lastSuccess[channel] = now
            } else {
                state.lastFailure[channel] = (now, detail)
            }
            state.attempts.append(Attempt(time: now, channel: channel, job: job, outcome: outcome, detail: detail))
            if state.attempts.count > 20 { state.attempts.removeFirst(state.attempts.count - 20) }
        }
    }

    /// The last success of `channel`, if any.
    public func lastSuccess(_ channel: String) -> String? { state.withLock { $0.lastSuccess[channel] } }

    /// The last failure of `channel` and its reason, if any.
    public func lastFailure(_ channel: String) -> (time: String, detail: String)? { state.withLock { $0.lastFailure[channel] } }

    /// The last 20 attempts, newest first.
    public var recentAttempts: [Attempt] { state.withLock { $0.attempts.reversed() } }
}
