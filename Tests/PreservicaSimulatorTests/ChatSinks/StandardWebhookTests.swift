import Foundation
import Testing
import PreservicaSimulator

@Suite("Chat sinks: Standard Webhooks verification")
struct StandardWebhookTests {
    static let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

    @Test("signing matches the specification's test vector")
    func testVector() {
        let signature = StandardWebhookSignature.sign(id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1614265330,
                                                      body: Array(#"{"test": 2432232314}"#.utf8), secret: Self.secret)
        #expect(signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
    }

    private func headers(id: String, timestamp: Int, body: String, secret: String = secret) -> [String: String] {
        ["webhook-id": id, "webhook-timestamp": String(timestamp),
         "webhook-signature": StandardWebhookSignature.sign(id: id, timestamp: timestamp, body: Array(body.utf8), secret: secret)!]
    }

    @Test("a correctly signed message is accepted; a resent webhook-id is a duplicate")
    func accepts() async throws {
        let fixture = try ChatSinkFixture(ChatSinkConfiguration(webhookSecret: Self.secret))
        let now = Int(Date().timeIntervalSince1970)
        var signed = headers(id: "msg_1", timestamp: now, body: ChatSinkSamples.webhook)
        let reply = try await fixture.post(fixture.sink.webhookURL(), ChatSinkSamples.webhook, headers: signed)
        // A rotated key listed alongside: any matching v1 entry is enough.
        signed["webhook-signature"] = "v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= " + signed["webhook-signature"]!
        let resent = try await fixture.post(fixture.sink.webhookURL(), ChatSinkSamples.webhook, headers: signed)
        let received = fixture.sink.received
        await fixture.finish()
        #expect(reply.status == 200)
        #expect(resent.status == 200)
        #expect(received.map(\.outcome) == [.delivered, .duplicate])
        #expect(received.first?.headers["webhook-id"] == "msg_1")
    }

    @Test("a wrong signature, an old timestamp, a changed body or missing headers are answered 401")
    func rejects() async throws {
        let fixture = try ChatSinkFixture(ChatSinkConfiguration(webhookSecret: Self.secret))
        let now = Int(Date().timeIntervalSince1970)
        let url = fixture.sink.webhookURL()
        let otherKey = "whsec_" + Data(repeating: 7, count: 32).base64EncodedString()
        let wrongKey = try await fixture.post(url, ChatSinkSamples.webhook,
                                              headers: headers(id: "m1", timestamp: now, body: ChatSinkSamples.webhook, secret: otherKey))
        let old = try await fixture.post(url, ChatSinkSamples.webhook,
                                         headers: headers(id: "m2", timestamp: now - 600, body: ChatSinkSamples.webhook))
        let changed = try await fixture.post(url, ChatSinkSamples.webhook + " ",
                                             headers: headers(id: "m3", timestamp: now, body: ChatSinkSamples.webhook))
        let unsigned = try await fixture.post(url, ChatSinkSamples.webhook)
        let received = fixture.sink.received
        await fixture.finish()
        #expect([wrongKey.status, old.status, changed.status, unsigned.status] == [Int](repeating: 401, count: 4))
        #expect(old.text.contains("timestamp"))
        #expect(received.filter(\.isDelivered).isEmpty)
    }
}
