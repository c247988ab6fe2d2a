import Testing
import Foundation
import Relay
import HTTPServer
import TestSupport

/// One client that misbehaves must not keep Preservica out, nor get a notification past the
/// receiver by sending it in a form other parsers might read differently.
@Suite("Webhook endpoint under hostile clients")
struct HostileClientTests {
    /// Runs `body` against a started relay and stops it whatever happens.
    private func withRelay(limits: HTTPServerLimits = HTTPServerLimits(), _ body: (RelayHarness) async throws -> Void) async throws {
        let relay = try RelayHarness(limits: limits)
        try relay.start()
        do {
            try await body(relay)
        } catch {
            await relay.stop()
            throw error
        }
        await relay.stop()
    }

    @Test("with 300 silent sockets open from another address, a signed notification and /healthz are answered")
    func silentSocketsDoNotStarvePreservica() async throws {
        // The cap at 64 with the other defaults: without shedding, 64 silent sockets would hold
        // every slot for the idle timeout and the requests below would wait in the backlog.
        try await withRelay(limits: HTTPServerLimits(maxConnections: 64)) { relay in
            let silent = try (0..<300).map { _ in
                try RawHTTPClient(port: relay.port, timeout: 5, sourceAddress: "127.0.0.2")
            }
            let client = try RawHTTPClient(port: relay.port, timeout: 5)
            try await client.send(RelayHarness.signedRequest(RelayHarness.notification()))
            let reply = try await client.readResponse()
            #expect(reply.status == 200)
            #expect(reply.json["accepted"] as? Int == 1)
            try await client.send("GET /healthz HTTP/1.1\r\nHost: relay\r\n\r\n")
            #expect(try await client.readResponse().status == 200)
            #expect(relay.journal.count == 1)
            withExtendedLifetime(silent) {}
        }
    }

    @Test("two Preservica-Signature headers are refused with 400, even when one of them is right")
    func repeatedSignature() async throws {
        try await withRelay { relay in
            let body = RelayHarness.notification()
            let good = HMACHex.signature(body: Array(body.utf8), secret: RelayHarness.secret)
            for pair in [(good, String(repeating: "0", count: 64)), (String(repeating: "0", count: 64), good), (good, good)] {
                let client = try relay.client()
                try await client.send("POST /webhook HTTP/1.1\r\nHost: relay\r\nPreservica-Signature: \(pair.0)\r\n"
                    + "Preservica-Signature: \(pair.1)\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
                let reply = try await client.readResponse()
                #expect(reply.status == 400)
                #expect((reply.json["error"] as? String)?.contains("more than one Preservica-Signature") == true)
            }
            #expect(relay.journal.isEmpty)
        }
    }

    @Test("a notification with bare LF line ends is answered 400 at once and not spooled")
    func bareLineFeeds() async throws {
        try await withRelay(limits: HTTPServerLimits(headerTimeout: .seconds(60))) { relay in
            let client = try RawHTTPClient(port: relay.port, timeout: 5)
            try await client.send(RelayHarness.signedRequest(RelayHarness.notification()).replacingOccurrences(of: "\r\n", with: "\n"))
            #expect(try await client.readResponse().status == 400)
            #expect(relay.journal.isEmpty)
        }
    }
}
