import Foundation
import Testing
import Hashing
import JSON
import PreservicaSimulator

@Suite("Simulator: webhooks")
struct WebhookTests {
    private func subscribe(_ fixture: SimulatorFixture, token: String, url: String, secret: String,
                           includeIdentifiers: String = #""true""#) async throws -> Exchange {
        try await fixture.client.send("POST", "/api/webhook/subscriptions", token: token, json: """
        {"url": "\(url)", "triggerType": "FULL_TEXT_INDEXED", "secret": "\(secret)",  "includeIdentifiers": \(includeIdentifiers)}
        """, headers: ["Accept": "application/json"])
    }

    @Test("create runs the challenge against the receiver, then list and delete work")
    func lifecycle() async throws {
        let receiver = try TestReceiver(secret: "shared-secret")
        let fixture = try SimulatorFixture()
        let token = try await fixture.client.login(fixture.simulator)
        let created = try await subscribe(fixture, token: token, url: receiver.url, secret: "shared-secret")
        let withBoolean = try await subscribe(fixture, token: token, url: receiver.url, secret: "shared-secret", includeIdentifiers: "false")
        let listed = try await fixture.client.get("/api/webhook/subscriptions", token: token)
        let id = created.json["id"] as? String ?? ""
        let deleted = try await fixture.client.send("DELETE", "/api/webhook/subscriptions/\(id)", token: token)
        let deletedAgain = try await fixture.client.send("DELETE", "/api/webhook/subscriptions/\(id)", token: token)
        let remaining = fixture.simulator.subscriptions
        await fixture.finish()
        await receiver.stop()

        #expect(created.status == 200)
        #expect(id.count == 32 && id.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        #expect(created.json["includeIdentifiers"] as? Bool == true)
        #expect(created.json["triggerType"] as? String == "FULL_TEXT_INDEXED")
        #expect(created.json["secret"] == nil)
        #expect(withBoolean.json["includeIdentifiers"] as? Bool == false)
        #expect(listed.jsonArray.count == 2)
        #expect(listed.jsonArray.allSatisfy { $0["secret"] == nil })
        #expect(deleted.status == 204)
        #expect(deletedAgain.status == 404)
        #expect(remaining.count == 1)
        let challenges = receiver.requests
        #expect(challenges.count == 2)
        #expect(challenges.allSatisfy { $0.method == "POST" && $0.body.isEmpty && $0.headers["Preservica-Signature"] == nil })
        #expect(challenges.allSatisfy { UUID(uuidString: $0.queryParameter("challengeCode") ?? "") != nil })
    }

    @Test("a wrong challenge answer, an error status or no receiver fails the create and stores nothing",
          arguments: [TestReceiver.ChallengeAnswer.wrong, .status(500)])
    func failedChallenge(answer: TestReceiver.ChallengeAnswer) async throws {
        let receiver = try TestReceiver(secret: "shared-secret", answer: answer)
        let fixture = try SimulatorFixture()
        let token = try await fixture.client.login(fixture.simulator)
        let refused = try await subscribe(fixture, token: token, url: receiver.url, secret: "shared-secret")
        await receiver.stop()
        let unreachable = try await subscribe(fixture, token: token, url: receiver.url, secret: "shared-secret")
        let stored = fixture.simulator.subscriptions
        await fixture.finish()
        for reply in [refused, unreachable] {
            #expect(reply.status == 400)
            #expect(reply.json["success"] as? Bool == false)
            #expect((reply.json["message"] as? String)?.hasPrefix("subscription verification failed") == true)
            #expect(!(reply.text.contains("shared-secret")))
        }
        #expect(stored.isEmpty)
    }

    @Test("a user without a webhook role gets 403")
    func missingRole() async throws {
        let fixture = try SimulatorFixture(SimulatorConfiguration(roles: ["ROLE_SDB_READ_USER"]))
        let token = try await fixture.client.login(fixture.simulator)
        let list = try await fixture.client.get("/api/webhook/subscriptions", token: token)
        let create = try await subscribe(fixture, token: token, url: "http://127.0.0.1:9/hook", secret: "x")
        await fixture.finish()
        #expect(list.status == 403)
        #expect(create.status == 403)
    }

    @Test("notify sends chunked, signed, compact JSON in Preservica's key order, with identifiers on request")
    func notify() async throws {
        let receiver = try TestReceiver(secret: "shared-secret")
        let fixture = try SimulatorFixture(SimulatorConfiguration(version: "6.10", tenant: "BRAMA"))
        let token = try await fixture.client.login(fixture.simulator)
        let created = try await subscribe(fixture, token: token, url: receiver.url, secret: "shared-secret")
        let refs = [SimulatorRepository.SampleRefs.letterAsset, SimulatorRepository.SampleRefs.tokyoMapAsset,
                    SimulatorRepository.SampleRefs.minutesAsset]
        let statuses = try await fixture.simulator.notify(trigger: "FULL_TEXT_INDEXED", refs: refs, eventsPerPost: 2)
        let other = try await fixture.simulator.notify(trigger: "MOVED", refs: refs)
        await fixture.finish()
        await receiver.stop()

        #expect(statuses == [200, 200])
        #expect(other.isEmpty)
        let posts = receiver.requests.filter { $0.queryParameter("challengeCode") == nil }
        #expect(posts.count == 2)
        for post in posts {
            #expect(post.headers["Transfer-Encoding"]?.lowercased().contains("chunked") == true)
            #expect(post.headers["Content-Length"] == nil)
            #expect(post.headers["Content-Type"] == "application/json")
            let expected = Hex.encode(HMACSHA256.authenticationCode(key: Array("shared-secret".utf8),
                                                                    message: Array("preservica-webhook-auth".utf8) + post.body))
            #expect(post.headers["Preservica-Signature"] == expected)
            let text = String(decoding: post.body, as: UTF8.self)
            #expect(!text.contains("\n") && !text.contains(": ") && !text.contains(", "))
            let json = try #require(try JSONParser.parse(post.body).objectValue)
            #expect(json.keys == ["subscriptionId", "timestamp", "tenant", "version", "events", "trigger"])
            #expect(json["subscriptionId"]?.stringValue == created.json["id"] as? String)
            #expect(json["tenant"]?.stringValue == "BRAMA")
            #expect(json["version"]?.stringValue == "6.10")
            #expect(json["trigger"]?.stringValue == "FULL_TEXT_INDEXED")
            let timestamp = json["timestamp"]?.stringValue ?? ""
            #expect(timestamp.count == 23 && timestamp.dropFirst(10).first == "T")
        }
        let events = posts.flatMap { (try? JSONParser.parse($0.body).objectValue?["events"]?.arrayValue) ?? nil ?? [] }
        #expect(events.compactMap { $0.objectValue?["entityRef"]?.stringValue } == refs)
        #expect(events.allSatisfy { $0.objectValue?["event"]?.stringValue == "FullTextIndexed" && $0.objectValue?["entityType"]?.stringValue == "IO" })
        let letterIdentifiers = events.first?.objectValue?["identifiers"]?.arrayValue ?? []
        #expect(letterIdentifiers.first?.objectValue?["value"]?.stringValue == "BJ-1884-017")
    }

    @Test("the send helper signs what it sends, and can send with Content-Length")
    func sender() async throws {
        let receiver = try TestReceiver(secret: "s")
        let reply = try await NotificationSender.send(to: URL(string: receiver.url)!, secret: "s", trigger: "MOVED",
                                                      refs: ["abc"], entityType: "SO", tenant: "T", version: "8.1", chunked: false)
        await receiver.stop()
        let post = try #require(receiver.requests.first)
        #expect(reply.status == 200)
        #expect(post.headers["Content-Length"] == String(post.body.count))
        #expect(post.headers["Transfer-Encoding"] == nil)
        #expect(post.headers["Preservica-Signature"] == NotificationSender.signature(body: post.body, secret: "s"))
        let event = try JSONParser.parse(post.body).objectValue?["events"]?.arrayValue?.first?.objectValue
        #expect(event?["entityType"]?.stringValue == "SO")
        #expect(event?["event"]?.stringValue == "Moved")
    }

    @Test("the signature matches the published known-answer vector")
    func knownAnswer() {
        let body = #"{"subscriptionId":"9495ddbf7d4a0b9f030a3411c87f967d","timestamp":"2023-10-11T10:52:42.469","tenant":"BRAMA","version":"6.10","events":[{"event":"FullTextIndexed","entityType":"IO","entityRef":"7fdea7e0-1e72-4fb1-aadb-d7f9ee6ed8c2","identifiers":[]}],"trigger":"FULL_TEXT_INDEXED"}"#
        let made = NotificationBody.make(subscriptionId: "9495ddbf7d4a0b9f030a3411c87f967d", timestamp: "2023-10-11T10:52:42.469",
                                         tenant: "BRAMA", version: "6.10", trigger: "FULL_TEXT_INDEXED",
                                         events: [NotificationEvent(event: "FullTextIndexed", entityType: "IO",
                                                                    entityRef: "7fdea7e0-1e72-4fb1-aadb-d7f9ee6ed8c2")])
        #expect(String(decoding: made, as: UTF8.self) == body)
        #expect(NotificationSender.signature(body: made, secret: "my_shared_secret")
            == "9164ce2a553feae08e0f6064a84a8311c6672b550ba7db82c138876854ab74cf")
    }
}
