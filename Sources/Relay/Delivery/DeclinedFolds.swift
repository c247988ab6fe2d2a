import Foundation
import Synchronization

/// When each channel's digest template last gave no card for its backlog: the fold is not tried
/// again for `foldAfter`, since each try reads every waiting job and would otherwise run before
/// every post.
final class DeclinedFolds: Sendable {
    private let declined = Mutex<[String: Date]>([:])

    /// Whether `channel`'s fold was declined less than `interval` before `now`.
    func isResting(_ channel: String, now: Date, interval: TimeInterval) -> Bool {
        declined.withLock { $0[channel].map { now.timeIntervalSince($0) < interval } ?? false }
    }

    /// Notes that `channel`'s fold was declined at `now`.
    func decline(_ channel: String, at now: Date) {
        declined.withLock { $0[channel] = now }
    }
}
