import Testing
import Foundation
import Relay

@Suite("Hold policy: backoff and expiry while Preservica is unavailable")
struct HoldPolicyTests {
    @Test("retries start within seconds, double, and stop growing at the cap")
    func backoff() {
        let policy = HoldPolicy(holdFor: .seconds(3600), firstRetry: .seconds(1), maxRetry: .seconds(60))
        #expect((1...8).map { policy.delay(afterAttempts: $0) }
                == [.seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(16), .seconds(32), .seconds(60), .seconds(60)])
        #expect(policy.delay(afterAttempts: 10_000) == .seconds(60))
        #expect(policy.delay(afterAttempts: 0) == .seconds(1))
    }

    @Test("a hold expires after holdFor, counted on the injected clock")
    func expiry() {
        let policy = HoldPolicy(holdFor: .seconds(3600))
        let since = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(!policy.expired(since: since, now: since.addingTimeInterval(3599)))
        #expect(policy.expired(since: since, now: since.addingTimeInterval(3600)))
        // A clock stepped back makes the hold longer, never ends it early.
        #expect(!policy.expired(since: since, now: since.addingTimeInterval(-86_400)))
        #expect(HoldPolicy().holdFor == .seconds(3600))
    }
}
