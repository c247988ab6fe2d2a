/// A channel whose service said its address no longer takes posts (``ChatTargets/DeliveryOutcome/gone(reason:)``):
/// its cards wait in the outbox, and its loop tries the oldest again only after a long wait (an
/// hour, doubling to a day), or at once when the channel gets a new address or a console test
/// card goes through (``GoneStore``).
struct ChannelGone: Sendable, Equatable {
    /// What the service said.
    var reason: String
    /// When (ms since 1970) the oldest card is tried again.
    var until: Int64
    /// The wait that set `until`.
    var waitMs: Int64

    /// The first wait after the service says the address is gone.
    static let firstWaitMs: Int64 = 3_600_000
    /// The longest wait between tries.
    static let longestWaitMs: Int64 = 86_400_000

    /// The state after the service said so (again) at `now`: each time twice the wait before.
    static func after(_ previous: ChannelGone?, reason: String, now: Int64) -> ChannelGone {
        let wait = previous.map { min($0.waitMs * 2, longestWaitMs) } ?? firstWaitMs
        return ChannelGone(reason: reason, until: now + wait, waitMs: wait)
    }
}
