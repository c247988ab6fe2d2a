import Dispatch
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
    /// A thread of the test's own, stopped when the test ends however it ends. It sleeps up to
    /// ten minutes at a time, so only a wake-up ends its sleep before the alarm it sleeps for.
    private func withAlarmThread(_ body: (AlarmThread) async throws -> Void) async rethrows {
        let alarms = AlarmThread(longestSleep: .seconds(600))
        defer { alarms.stop() }
        try await body(alarms)
    }

    @Test("alarms due together go off in the order of their deadlines, and a cancelled one does not")
    func order() async {
        await withAlarmThread { alarms in
            // The thread is held in a first alarm's action while the others are set, so they are
            // all due at its next look however slowly this machine runs.
            let gate = DispatchSemaphore(value: 0)
            let holding = Tally()
            _ = alarms.schedule(at: ContinuousClock.now) {
                holding.increment()
                gate.wait()
            }
            #expect(await eventually { holding.value == 1 })
            let fired = Fired()
            let base = ContinuousClock.now
            let cancelled = alarms.schedule(at: base - .milliseconds(2)) { fired.append(2) }
            _ = alarms.schedule(at: base - .milliseconds(1)) { fired.append(3) }
            _ = alarms.schedule(at: base - .milliseconds(3)) { fired.append(1) }
            cancelled.cancel()
            gate.signal()
            #expect(await eventually { fired.values.count == 2 })
            #expect(fired.values == [1, 3])
            #expect(alarms.pending == 0)
        }
    }

    @Test("an alarm earlier than the one the thread sleeps for wakes it; a later one, cancelled, leaves its limit as it was")
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

    @Test("a wait on the system clock ends at its limit without a signal, at once at a signal, and a signal given while nobody waits is kept")
    func wakeupOnSystemClock() async {
        let wakeup = Wakeup()
        let clock = SystemClock()
        let start = ContinuousClock.now
        await wakeup.wait(upTo: .milliseconds(20), on: clock)
        #expect(ContinuousClock.now - start >= .milliseconds(20), "ended at its limit, not before")

        let ended = Tally()
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await wakeup.wait(upTo: .seconds(120), on: clock)
                ended.increment()
            }
            // Signalled until the wait has ended: whether it began before the first signal or
            // after, it ends long before its limit.
            #expect(await eventually(timeout: .seconds(20)) {
                wakeup.signal()
                return ended.value == 1
            })
        }
        // Given while nobody waits: the next wait takes it and returns at once.
        wakeup.signal()
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await wakeup.wait(upTo: .seconds(120), on: clock)
                ended.increment()
            }
            #expect(await eventually(timeout: .seconds(20)) { ended.value == 2 }, "the kept signal ended the wait")
            // Ends the wait either way, so a failure does not hold the test for two minutes.
            wakeup.signal()
        }
    }
}
