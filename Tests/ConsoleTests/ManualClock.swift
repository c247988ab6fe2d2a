import Console
import Synchronization

/// A clock tests move on by hand, so expiry is tested without waiting.
final class ManualClock: Sendable {
    private let base = ContinuousClock.now
    private let offset = Mutex<Duration>(.zero)

    /// The console's view of this clock.
    var clock: ConsoleClock { ConsoleClock { [self] in base + offset.withLock { $0 } } }

    /// Moves time on by `duration`.
    func advance(_ duration: Duration) { offset.withLock { $0 += duration } }
}
