/// A channel's health in one word, as the status page shows it.
enum ChannelHealth: String {
    /// Cards go out (or nothing is waiting).
    case delivering
    /// The last attempt failed and the card will be tried again.
    case retrying
    /// The service said its rate limit was reached; the relay waits as asked.
    case throttled
    /// Several attempts in a row failed, or the last card was given up.
    case failing
    /// The channel is paused: cards wait in its outbox.
    case paused
    /// The service said the channel's address no longer takes posts: cards wait for a new one.
    case gone

    /// The health from how the channel's attempts went.
    static func of(_ state: RelayStatus.ChannelState?, paused: Bool = false) -> ChannelHealth {
        if paused { return .paused }
        guard let state, state.lastOutcome != "delivered" else { return .delivering }
        if state.lastOutcome == "gone" { return .gone }
        if state.lastOutcome == "dead" || state.failuresInARow >= 3 { return state.throttled ? .throttled : .failing }
        return state.throttled ? .throttled : .retrying
    }

    /// The CSS class and the colour it implies: good, warning or attention.
    var style: String {
        switch self {
        case .delivering: "good"
        case .retrying, .throttled, .paused: "warning"
        case .failing, .gone: "attention"
        }
    }
}
