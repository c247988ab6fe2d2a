import Testing
import TestSupport
@testable import Relay

/// The task group the relay's long-running parts run in.
@Suite("Task supervisor")
struct TaskSupervisorTests {
    @Test("shutdown cancels every child and returns once all have ended; an add after it starts a new group")
    func shutdown() async {
        let tasks = TaskSupervisor()
        let started = Tally()
        let ended = Tally()
        for _ in 0..<3 {
            tasks.add {
                started.increment()
                // A loop that runs until cancelled.
                await Latch().wait()
                ended.increment()
            }
        }
        #expect(await eventually { started.value == 3 })
        #expect(ended.value == 0)
        #expect(await DeadlineRace.finish(by: .now + .seconds(30)) { await tasks.shutdown() })
        #expect(ended.value == 3)
        let again = Tally()
        tasks.add { again.increment() }
        #expect(await eventually { again.value == 1 })
        await tasks.shutdown()
    }

    @Test("a pipeline's stop ends its worker and channel loops and waits for them; the next pipeline runs in the same group")
    func pipelineSwap() async throws {
        let rig = try DelivererRig(channel: DelivererRig.webhook())
        var configuration = RelayConfiguration(dataDirectory: rig.directory, webhookSecrets: [])
        configuration.channels = [rig.channel]
        let logger = Logger.silent
        let make = { RelayPipeline(configuration: configuration, logger: logger, metrics: Metrics(), status: RelayStatus(),
                                   clock: rig.clock, durable: { 0 }) }
        let tasks = TaskSupervisor()
        let first = make()
        first.start(in: tasks)
        // The worker's timer and the channel's timer sleep on the clock while the pipeline runs.
        #expect(await eventually { rig.clock.sleepers == 2 })
        await first.stop()
        #expect(rig.clock.sleepers == 0, "both loops ended before stop returned")
        let second = make()
        second.start(in: tasks)
        #expect(await eventually { rig.clock.sleepers == 2 })
        #expect(await DeadlineRace.finish(by: .now + .seconds(30)) { await tasks.shutdown() })
        #expect(rig.clock.sleepers == 0)
    }
}
