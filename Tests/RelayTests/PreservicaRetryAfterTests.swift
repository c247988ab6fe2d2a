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
        try await withConnection { simulator, _, entities in
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
        }
    }

    /// A started simulator with `faults` and an entity client on it, logged in unless `faults` are
    /// given, for `body`; the simulator is stopped afterwards, also when `body` throws.
    private func withConnection(faults: SimulatorFaults? = nil,
                                _ body: (PreservicaSimulator, PreservicaConnection, EntityClient) async throws -> Void) async throws {
        let simulator = PreservicaSimulator(configuration: SimulatorConfiguration(password: "pw", faults: faults ?? .none))
        try simulator.start()
        do {
            let connection = try PreservicaConnection(credentials: PreservicaCredentials(
                server: simulator.baseURL, username: simulator.configuration.username, password: "pw", tenant: simulator.configuration.tenant))
            let entities = EntityClient(connection: connection)
            if faults == nil { _ = try await entities.asset(Refs.letterAsset) }
            try await body(simulator, connection, entities)
        } catch {
            await simulator.stop()
            throw error
        }
        await simulator.stop()
    }

    @Test("while one call waits out a Retry-After, the other calls on the connection are not sent either")
    func othersWaitToo() async throws {
        try await withConnection { simulator, connection, entities in
            // Long enough that the wait is still seen on a loaded machine.
            simulator.setFaults(SimulatorFaults(outageStatus: 429, retryAfter: 3))
            let asked = ContinuousClock.now
            let first = Task { try await entities.asset(Refs.letterAsset) }
            #expect(await eventually { connection.retryAfterLeft != nil })
            simulator.setFaults(.none)
            let other = try await entities.asset(Refs.minutesAsset)
            #expect(ContinuousClock.now - asked >= .milliseconds(2900), "another call was sent while the server asked to wait")
            #expect(other.ref == Refs.minutesAsset)
            #expect(try await first.value.ref == Refs.letterAsset)
        }
    }

    @Test("a Retry-After longer than a call waits fails it at once, and no call is sent until it has passed")
    func longWaitHoldsBackTheConnection() async throws {
        try await withConnection { simulator, connection, entities in
            simulator.setFaults(SimulatorFaults(outageStatus: 429, retryAfter: 120))
            simulator.clearRequestLog()
            await #expect(throws: PreservicaError.self) { try await entities.asset(Refs.letterAsset) }
            #expect(simulator.requestLog.filter { $0.contains(Refs.letterAsset) }.count == 1)
            simulator.setFaults(.none)
            let refused = await #expect(throws: PreservicaError.self) { try await entities.asset(Refs.minutesAsset) }
            #expect(refused?.isTransient == true, "the event is held and asked again later, not given up")
            #expect(!simulator.requestLog.contains { $0.contains(Refs.minutesAsset) }, "sent while the server asked to wait")
            #expect((connection.retryAfterLeft ?? .zero) > .seconds(60))
        }
    }

    @Test("a login answered 429 with a long Retry-After is not tried again, and the connection waits as for any call")
    func loginRetryAfter() async throws {
        try await withConnection(faults: SimulatorFaults(outageStatus: 429, retryAfter: 120)) { simulator, connection, entities in
            let refused = await #expect(throws: PreservicaError.self) { try await entities.asset(Refs.letterAsset) }
            let again = await #expect(throws: PreservicaError.self) { try await entities.asset(Refs.minutesAsset) }
            let logins = simulator.requestLog.filter { $0.contains("/api/accesstoken/login") }.count
            #expect(refused?.isTransient == true && again?.isTransient == true)
            #expect(logins == 1, "logged in \(logins) times while Preservica asked to wait two minutes")
            #expect((connection.retryAfterLeft ?? .zero) > .seconds(60))
        }
    }

    @Test("calls refused unsent during a long wait do not make it longer")
    func refusedCallsDoNotExtendTheWait() async throws {
        try await withConnection { simulator, connection, entities in
            simulator.setFaults(SimulatorFaults(outageStatus: 429, retryAfter: 120))
            _ = try? await entities.asset(Refs.letterAsset)
            let first = try #require(connection.retryAfterLeft)
            // Held events, new notifications and console pages keep asking while the wait lasts.
            let start = ContinuousClock.now
            var refused = 0
            while ContinuousClock.now - start < .milliseconds(1500) {
                if (try? await entities.asset(Refs.minutesAsset)) == nil { refused += 1 }
            }
            #expect(refused > 0)
            let left = try #require(connection.retryAfterLeft)
            #expect(left <= first - (ContinuousClock.now - start) + .milliseconds(100), "the wait grew from \(first) to \(left)")
        }
    }
}
