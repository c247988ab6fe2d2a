import Foundation
import Testing
import PreservicaSimulator

@Suite("Simulator: faults")
struct FaultTests {
    private let assetPath = "/api/entity/information-objects/\(SimulatorRepository.SampleRefs.letterAsset)"

    @Test("failNextCalls answers the next N Entity API calls with the status, then recovers")
    func failNext() async throws {
        let fixture = try SimulatorFixture()
        let token = try await fixture.client.login(fixture.simulator)
        fixture.simulator.failNextCalls(2, status: 503)
        var statuses: [Int] = []
        for _ in 0..<3 { statuses.append(try await fixture.client.get(assetPath, token: token).status) }
        let details = try await fixture.client.get("/api/user/details", token: token)
        fixture.simulator.failNextCalls(1, status: 429)
        let limited = try await fixture.client.get(assetPath, token: token)
        let log = fixture.simulator.requestLog
        await fixture.finish()
        #expect(statuses == [503, 503, 200])
        #expect(details.status == 200)
        #expect(limited.status == 429)
        #expect(limited.header("Retry-After") == "1")
        #expect(log.filter { $0 == "GET \(assetPath)" }.count == 4)
        #expect(log.first == "POST /api/accesstoken/login")
    }

    @Test("latency delays every answer")
    func latency() async throws {
        let fixture = try SimulatorFixture(SimulatorConfiguration(faults: SimulatorFaults(latency: .milliseconds(300))))
        let clock = ContinuousClock()
        let start = clock.now
        let token = try await fixture.client.login(fixture.simulator)
        _ = try await fixture.client.get(assetPath, token: token)
        let elapsed = clock.now - start
        fixture.simulator.setFaults(.none)
        let after = try await fixture.client.get(assetPath, token: token)
        await fixture.finish()
        // Two calls each held at least the latency: a lower bound the fault guarantees, whatever the load.
        #expect(elapsed >= .milliseconds(600))
        #expect(after.status == 200)
    }

    @Test("an error rate fails about that share of Entity calls, the same way for the same seed")
    func errorRate() async throws {
        let faults = SimulatorFaults(errorRate: 0.5, errorStatuses: [500, 503], seed: 42)
        var runs: [[Int]] = []
        for _ in 0..<2 {
            let fixture = try SimulatorFixture(SimulatorConfiguration(faults: faults))
            let token = try await fixture.client.login(fixture.simulator)
            var statuses: [Int] = []
            for _ in 0..<40 { statuses.append(try await fixture.client.get(assetPath, token: token).status) }
            runs.append(statuses)
            await fixture.finish()
        }
        let failures = runs[0].filter { $0 != 200 }
        #expect(runs[0] == runs[1])
        #expect((8...32).contains(failures.count))
        #expect(Set(failures).isSubset(of: [500, 503]))
    }

    @Test("bad-signature and duplicate faults shape the notifications")
    func notificationFaults() async throws {
        let receiver = try TestReceiver(secret: "k")
        let fixture = try SimulatorFixture()
        let token = try await fixture.client.login(fixture.simulator)
        _ = try await fixture.client.send("POST", "/api/webhook/subscriptions", token: token,
                                          json: #"{"url":"\#(receiver.url)","triggerType":"MOVED","secret":"k","includeIdentifiers":false}"#)
        fixture.simulator.setFaults(SimulatorFaults(badSignature: true, duplicateNotifications: true))
        let statuses = try await fixture.simulator.notify(trigger: "MOVED", refs: ["r1"])
        await fixture.finish()
        await receiver.stop()
        let posts = receiver.requests.filter { $0.queryParameter("challengeCode") == nil }
        #expect(statuses == [200, 200])
        #expect(posts.count == 2)
        #expect(posts[0].body == posts[1].body)
        #expect(posts.allSatisfy { $0.headers["Preservica-Signature"] != NotificationSender.signature(body: $0.body, secret: "k") })
    }
}
