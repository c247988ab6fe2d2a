import Foundation
import Testing
import Preservica
import PreservicaSimulator
import TestSupport

/// Lookups a stopped pipeline no longer needs.
@Suite("Cancelled lookups")
struct CancelledLookupTests {
    /// The connection bounds the requests in flight; a lookup still waiting for a slot when its
    /// task is cancelled must not be sent once a slot frees.
    @Test("GETs cancelled while they wait for a connection slot are never sent")
    func waitingLookupsNotSent() async throws {
        let simulator = PreservicaSimulator(configuration: SimulatorConfiguration(password: "pw", faults: SimulatorFaults(latency: .milliseconds(400))))
        try simulator.start()
        let connection = try PreservicaConnection(credentials: PreservicaCredentials(
            server: simulator.baseURL, username: simulator.configuration.username, password: "pw", tenant: simulator.configuration.tenant),
            maxConcurrentRequests: 2)
        let asset = connection.url("api/entity/information-objects/" + SimulatorRepository.SampleRefs.letterAsset)
        let lookups = Task {
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<40 { group.addTask { _ = try? await connection.get(asset, what: "asset") } }
            }
        }
        let asked = { simulator.requestLog.filter { $0.hasPrefix("GET /api/entity/information-objects/") }.count }
        #expect(await eventually { asked() >= 1 })
        lookups.cancel()
        // Counted from the cancel, not from when the first GET was seen: a late look would
        // otherwise count the rounds sent before the cancel as well.
        let before = asked()
        await lookups.value
        // One lookup more, not cancelled: by the time its answer is back, anything the cancelled
        // ones set going (at once, as slots freed) has reached the simulator too.
        _ = try await connection.get(asset, what: "asset")
        // At most the two already on their way when cancelled, and the one above.
        #expect(asked() - before <= 3, "\(asked() - before - 1) lookups reached the simulator after the cancel")
        await simulator.stop()
    }
}
