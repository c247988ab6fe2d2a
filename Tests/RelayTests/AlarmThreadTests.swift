import Synchronization
import Testing
import TestSupport
@testable import Relay

/// What went off, in order.
private final class Fired: Sendable {
    private let list = Mutex<[Int]>([])
    func append(_ value: Int) { list.withLock { $0.append(value) } }
    var values: [Int] { list.withLock { $0 } }
}

@Suite("Alarms and wake-ups on the system clock")
struct AlarmThreadTests {
    /// A thread of the test's own, stopped when the test ends however it ends.
    private func withAlarmThread(_ body: (AlarmThread) async throws -> Void) async rethrows {
        let alarms = AlarmThread()
        defer { alarms.stop() }
        try await body(alarms)
    }

    @Test("alarms go off in the order of their deadlines, and a cancelled one does not")
    func order() async {
        await withAlarmThread { alarms in
            let fired = Fired()
            let now = ContinuousClock.now
            let cancelled = alarms.schedule(at: now + .milliseconds(30)) { fired.append(2) }
            _ = alarms.schedule(at: now + .milliseconds(60)) { fired.append(3) }
            _ = alarms.schedule(at: now + .milliseconds(10)) { fired.append(1) }
            cancelled.cancel()
            #expect(await eventually { fired.values.count == 2 })
            #expect(fired.values == [1, 3])
            #expect(alarms.pending == 0)
        }
    }

    @Test("an alarm earlier than the one the thread sleeps for wakes it; later ones and cancelling leave it asleep")
    func earlierWakes() async {
        await withAlarmThread { alarms in
            let far = ContinuousClock.now + .seconds(120)
            let farAlarm = alarms.schedule(at: far) {}
            #expect(await eventually { alarms.sleepingUntil == far })
            // Later, then cancelled: the thread still sleeps for the far alarm.
            alarms.schedule(at: far + .seconds(1)) {}.cancel()
            #expect(alarms.sleepingUntil == far)
            let fired = Tally()
            _ = alarms.schedule(at: ContinuousClock.now + .milliseconds(5)) { fired.increment() }
            #expect(await eventually(timeout: .seconds(20)) { fired.value == 1 }, "went off long before the far alarm")
            #expect(await eventually { alarms.sleepingUntil == far })
            farAlarm.cancel()
            #expect(alarms.pending == 0)
        }
    }

    @Test("a wait on the system clock ends at its limit without a signal, and at once at a signal")
    func wakeupOnSystemClock() async {
        let wakeup = Wakeup()
        let clock = SystemClock()
        await wakeup.wait(upTo: .milliseconds(20), on: clock)

        let ended = Tally()
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await wakeup.wait(upTo: .seconds(120), on: clock)
                ended.increment()
            }
            // Signalled until the wait has taken it: a signal given before the wait began is kept for it.
            #expect(await eventually(timeout: .seconds(20)) {
                wakeup.signal()
                return ended.value == 1
            })
        }
        // The signal the wait did not need is kept for the next one.
        await wakeup.wait(upTo: .seconds(120), on: clock)
    }
}
