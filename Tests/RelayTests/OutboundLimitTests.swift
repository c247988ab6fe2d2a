import Testing
import Foundation
import OutboundHTTP
import Preservica
import PreservicaSimulator
import ChatTargets
import Relay
import TestSupport

/// The outbound client reads a reply only up to its limit: larger replies are refused with a
/// clear error and the transfer stops, whether the size was announced or not.
@Suite("Outbound reply limits")
struct OutboundLimitTests {
    /// Waits until `condition` holds (``eventually``, its default deadline).
    private func waitUntil(_ condition: () -> Bool) async -> Bool {
        await eventually { condition() }
    }

    @Test("a reply of unannounced length is refused once it passes the limit, and the transfer is stopped")
    func endlessReply() async throws {
        let server = try EndlessReplyServer()
        let client = OutboundClient(maxResponseBytes: 64 << 10)
        let request = OutboundRequest(url: URL(string: "http://127.0.0.1:\(server.port)/api/entity/information-objects/x")!,
                                      timeout: .seconds(20))
        do {
            _ = try await client.send(request)
            Issue.record("an endless reply was accepted")
        } catch {
            #expect(error.kind == .tooLarge)
            #expect(error.description.contains("too large"))
            #expect(!error.description.contains("/api/"))
        }
        #expect(await waitUntil { server.isFinished })
        #expect(server.clientHungUp, "the client read \(server.bytesSent) bytes and did not hang up")
    }

    @Test("a chat sink's reply over 64 KiB is refused and the job is retried, with the reason recorded")
    func oversizedChatReply() async throws {
        let sink = ChatSink(configuration: ChatSinkConfiguration())
        try sink.start()
        let relay = try RelayHarness()
        relay.configuration.channels = [ChannelSettings(name: "ops", type: .slack, url: Secret(sink.slackURL()))]
        relay.configuration.routes = [RouteSettings(channels: ["ops"])]
        sink.script(.slack, replies: [ChatSinkReply.text(200, String(repeating: "ok", count: 40_000))], repeatingLast: true)
        try relay.start()
        do {
            let client = try relay.client()
            try await client.send(RelayHarness.signedRequest(RelayHarness.notification()))
            #expect(try await client.readResponse().status == 200)
            let auditPath = relay.configuration.dataDirectory + "/audit.log"
            let found = await waitUntil {
                ((try? String(contentsOfFile: auditPath, encoding: .utf8)) ?? "").contains("too large")
            }
            #expect(found)
            let audit = (try? String(contentsOfFile: auditPath, encoding: .utf8)) ?? ""
            #expect(!audit.contains(#""step":"delivered""#))
        } catch {
            await relay.stop()
            await sink.stop()
            throw error
        }
        await relay.stop()
        await sink.stop()
    }

    @Test("an Entity API reply over preservica.maxResponseBytes is refused at once, not retried; a normal one reads")
    func oversizedEntityReply() async throws {
        let configuration = SimulatorConfiguration(password: "pw")
        let simulator = PreservicaSimulator(configuration: configuration)
        try simulator.start()
        do {
            let huge = "huge-" + UUID().uuidString.lowercased().dropFirst(5)
            simulator.add(SimulatedAsset(ref: String(huge), title: "Large", description: String(repeating: "d", count: 200_000)))
            let connection = try PreservicaConnection(
                credentials: PreservicaCredentials(server: simulator.baseURL, username: configuration.username,
                                                   password: configuration.password, tenant: configuration.tenant),
                timeout: .seconds(5), retries: 3, maxResponseBytes: 64 << 10)
            let normal = try await connection.get(connection.url("api/entity/information-objects/\(SimulatorRepository.SampleRefs.letterAsset)"),
                                                  what: "asset")
            #expect(!normal.isEmpty)
            let before = connection.requestCount
            do {
                _ = try await connection.get(connection.url("api/entity/information-objects/\(huge)"), what: "asset")
                Issue.record("an oversized reply was accepted")
            } catch {
                guard case .invalidResponse(let message) = error else {
                    Issue.record("expected invalidResponse, got \(error)")
                    return
                }
                #expect(message.contains("too large"))
            }
            #expect(connection.requestCount == before + 1)
        } catch {
            await simulator.stop()
            throw error
        }
        await simulator.stop()
    }
}
