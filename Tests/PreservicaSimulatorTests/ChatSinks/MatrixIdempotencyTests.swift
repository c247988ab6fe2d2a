import Foundation
import Testing
@testable import PreservicaSimulator

@Suite("Chat sinks: Matrix txnId idempotency")
struct MatrixIdempotencyTests {
    @Test("the same txnId returns the same event_id and is delivered once; a new txnId is a new event")
    func sameTransaction() async throws {
        let fixture = try ChatSinkFixture()
        let url = fixture.sink.matrixSendURL(roomId: "!ops:example.org", txnId: "evt-42")
        let first = try await fixture.putMatrix(url, ChatSinkSamples.matrix)
        let again = try await fixture.putMatrix(url, ChatSinkSamples.matrix)
        let other = try await fixture.putMatrix(fixture.sink.matrixSendURL(roomId: "!ops:example.org", txnId: "evt-43"),
                                                ChatSinkSamples.matrix)
        let received = fixture.sink.received
        await fixture.finish()
        let firstID = first.json["event_id"] as? String
        #expect(first.status == 200)
        #expect(again.status == 200)
        #expect(firstID != nil)
        #expect(again.json["event_id"] as? String == firstID)
        #expect(other.json["event_id"] as? String != firstID)
        #expect(received.map(\.outcome) == [.delivered, .duplicate, .delivered])
        #expect(fixture.sink.delivered.count == 2)
    }

    @Test("past its burst of 10 messages an access token is answered M_LIMIT_EXCEEDED; a retransmission is not counted")
    func messageLimit() async throws {
        // A refill too slow to matter however long the requests take on a loaded machine.
        let fixture = try ChatSinkFixture(ChatSinkConfiguration(matrixMessagesPerSecond: 0.001))
        var replies: [Exchange] = []
        for number in 1...11 {
            replies.append(try await fixture.putMatrix(fixture.sink.matrixSendURL(txnId: "burst-\(number)"), ChatSinkSamples.matrix))
        }
        let again = try await fixture.putMatrix(fixture.sink.matrixSendURL(txnId: "burst-1"), ChatSinkSamples.matrix)
        await fixture.finish()
        #expect(replies.map(\.status) == Array(repeating: 200, count: 10) + [429])
        #expect(replies.last?.json["errcode"] as? String == "M_LIMIT_EXCEEDED")
        #expect((replies.last?.json["retry_after_ms"] as? Int ?? 0) > 0)
        #expect(again.status == 200, "a retransmitted transaction is answered from the cache, not limited")
    }

    @Test("Synapse's default allowance: 10 at once, then one each 5 s, and retry_after_ms says how long is left")
    func defaultAllowance() {
        var allowance = MatrixMessageAllowance(perSecond: ChatSinkConfiguration().matrixMessagesPerSecond,
                                               burst: ChatSinkConfiguration().matrixMessageBurst)
        let start = Date(timeIntervalSince1970: 1_764_583_200)
        #expect((1...10).allSatisfy { _ in allowance.take(at: start) == nil })
        #expect(allowance.take(at: start) == 5_000)
        #expect(allowance.take(at: start.addingTimeInterval(2.5)) == 2_500)
        #expect(allowance.take(at: start.addingTimeInterval(5)) == nil)
        #expect(allowance.take(at: start.addingTimeInterval(5)) == 5_000)
    }

    @Test("a throttled attempt does not use up the txnId: the retry is delivered")
    func retryAfterThrottle() async throws {
        let fixture = try ChatSinkFixture()
        fixture.sink.script(.matrix, replies: [.matrixLimitExceeded(retryAfterMs: 1500)])
        let url = fixture.sink.matrixSendURL(txnId: "evt-7")
        let throttled = try await fixture.putMatrix(url, ChatSinkSamples.matrix)
        let retried = try await fixture.putMatrix(url, ChatSinkSamples.matrix)
        let outcomes = fixture.sink.received.map(\.outcome)
        await fixture.finish()
        #expect(throttled.status == 429)
        #expect(throttled.json["errcode"] as? String == "M_LIMIT_EXCEEDED")
        #expect(throttled.json["retry_after_ms"] as? Int == 1500)
        #expect(throttled.header("Retry-After") == "2")
        #expect(retried.status == 200)
        #expect(outcomes == [.scripted, .delivered])
    }

    @Test("clear() forgets txnIds")
    func clearForgets() async throws {
        let fixture = try ChatSinkFixture()
        let url = fixture.sink.matrixSendURL(txnId: "evt-9")
        let first = try await fixture.putMatrix(url, ChatSinkSamples.matrix)
        fixture.sink.clear()
        let second = try await fixture.putMatrix(url, ChatSinkSamples.matrix)
        let received = fixture.sink.received
        await fixture.finish()
        #expect(received.count == 1)
        #expect(received.first?.outcome == .delivered)
        #expect(second.json["event_id"] as? String != first.json["event_id"] as? String)
    }
}
