import Foundation
import Synchronization

/// What the status page shows: per channel the last success and failure and how the last
/// attempts went, and the last 20 delivery attempts (and each channel's last 20). Chat URLs are never kept here.
public final class RelayStatus: Sendable {
    /// One delivery attempt as the status page lists it.
    public struct Attempt: Sendable {
        public var time: String
        public var channel: String
        public var job: String
        public var outcome: String
        public var detail: String
        /// The asset's title as the card showed it (empty for a digest or an unknown asset).
        public var title: String = ""
        /// The asset's reference (empty for a digest).
        public var ref: String = ""
    }

    /// How a channel's recent attempts went.
    public struct ChannelState: Sendable {
        /// The outcome of the last attempt: `delivered`, `retry`, `gone` or `dead`.
        public var lastOutcome: String
        /// Attempts that did not deliver since the last one that did.
        public var failuresInARow: Int
        /// The last attempt was refused because the service's rate limit was reached.
        public var throttled: Bool
    }

    private struct State {
        var lastSuccess: [String: String] = [:]
        var lastFailure: [String: (time: String, detail: String)] = [:]
        var channels: [String: ChannelState] = [:]
        var attempts: [Attempt] = []
        /// The last 20 attempts of each channel: a quiet channel's failure must not be pushed out
        /// of its own history by a busy channel's deliveries.
        var byChannel: [String: [Attempt]] = [:]
    }

    private let state = Mutex(State())
    /// When the relay started.
    public let started = Date()

    /// An empty status.
    public init() {}

    /// Records one attempt's outcome (`delivered`, `retry`, `gone` or `dead`) for the card about `title`
    /// (`ref`); `throttled` when the service answered that its rate limit was reached.
    public func record(channel: String, job: String, outcome: String, detail: String, title: String = "", ref: String = "",
                       throttled: Bool = false) {
        let now = Timestamp.iso8601()
        state.withLock { state in
            var channelState = state.channels[channel] ?? ChannelState(lastOutcome: outcome, failuresInARow: 0, throttled: false)
            channelState.lastOutcome = outcome
            channelState.throttled = throttled
            if outcome == "delivered" {
                state.lastSuccess[channel] = now
                channelState.failuresInARow = 0
            } else {
                state.lastFailure[channel] = (now, detail)
                channelState.failuresInARow += 1
            }
            state.channels[channel] = channelState
            let attempt = Attempt(time: now, channel: channel, job: job, outcome: outcome, detail: detail, title: title, ref: ref)
            state.attempts.append(attempt)
            if state.attempts.count > 20 { state.attempts.removeFirst(state.attempts.count - 20) }
            state.byChannel[channel, default: []].append(attempt)
            if state.byChannel[channel]!.count > 20 { state.byChannel[channel]!.removeFirst() }
        }
    }

    /// The last success of `channel`, if any.
    public func lastSuccess(_ channel: String) -> String? { state.withLock { $0.lastSuccess[channel] } }

    /// The last failure of `channel` and its reason, if any.
    public func lastFailure(_ channel: String) -> (time: String, detail: String)? { state.withLock { $0.lastFailure[channel] } }

    /// How `channel`'s recent attempts went; nil before its first attempt.
    public func channelState(_ channel: String) -> ChannelState? { state.withLock { $0.channels[channel] } }

    /// The last 20 attempts, newest first.
    public var recentAttempts: [Attempt] { state.withLock { $0.attempts.reversed() } }

    /// The last 20 attempts of `channel`, newest first.
    public func recentAttempts(channel: String) -> [Attempt] { state.withLock { ($0.byChannel[channel] ?? []).reversed() } }
}
