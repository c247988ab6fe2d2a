import Foundation
import Testing
import TestSupport
import Preservica
import PreservicaSimulator

/// A Preservica (or its gateway) that answers 429 or 503 with `Retry-After` is not asked again sooner.
@Suite("Preservica's Retry-After")
struct PreservicaRetryAfterTests {
    typealias Refs = SimulatorRepository.SampleRefs

    @Test("a 429 or 503 that says 'Retry-After: 1' is asked again no sooner than a second later", arguments: [429, 503])
    func waitsAsAsked(status: Int) async throws {
        let simulator = PreservicaSimulator(configuration: SimulatorConfiguration(password: "pw"))
        try simulator.start()
        let entities = EntityClient(connection: try PreservicaConnection(credentials: PreservicaCredentials(
            server: simulator.baseURL, username: simulator.configuration.username, password: "pw", tenant: simulator.configuration.tenant)))
        _ = try await entities.asset(Refs.letterAsset)
        simulator.setFaults(SimulatorFaults(outageStatus: status))
        simulator.clearRequestLog()
        // Taken before the first ask, so a late look at the log cannot shorten what is measured.
        let asked = ContinuousClock.now
        let read = Task { try await entities.asset(Refs.letterAsset) }
        #expect(await eventually { simulator.requestLog.contains { $0.contains(Refs.letterAsset) } })
        simulator.setFaults(.none)
        let asset = try await read.value
        #expect(asset.ref == Refs.letterAsset)
        // Jittered backoff alone asks again within half a second.
        #expect(ContinuousClock.now - asked >= .milliseconds(900), "asked again before the second it was told to wait")
        #expect(simulator.requestLog.filter { $0.contains(Refs.letterAsset) }.count == 2)
        await simulator.stop()
    }
}
