import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Preservica
import Relay

/// `preservica-relay demo`: the receiver on loopback, exercised end to end with real HTTP.
enum DemoCommand {
    static func run(_ arguments: [String]) async -> ExitCode {
        var options = CommandArguments(arguments)
        if options.flag("help") { return Usage.printHelp("demo") }
        do throws(UsageError) { try options.finish() } catch {
            Console.error(error.message)
            return .usage
        }

        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("preservica-relay-demo-\(UUID().uuidString.prefix(8))").path
        let secret = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        let configuration = RelayConfiguration(listenPort: 0, dataDirectory: directory, webhookSecrets: [Secret(secret)])
        let service: RelayService
        let port: Int
        do {
            service = try RelayService(configuration: configuration, logger: Logger(minimumLevel: .warning))
            port = try service.start()
        } catch {
            Console.error("cannot start the demo receiver: \(error)")
            return .failure
        }
        defer { try? FileManager.default.removeItem(atPath: directory) }

        let webhook = "http://127.0.0.1:\(port)/webhook"
        print("Receiver listening on \(webhook) (data dir \(directory))")
        var demo = DemoRun(client: DemoClient())

        let code = UUID().uuidString.lowercased()
        await demo.step("subscription handshake") {
            let reply = try await $0.post(webhook + "?challengeCode=" + code, body: [], headers: [:], chunked: false)
            let expected = WebhookVerifier(secrets: [secret]).challengeResponse(for: code)
            let answer = reply.json["challengeResponse"] as? String
            return (reply.status == 200 && answer == expected, "\(reply.status), challengeResponse \(answer == expected ? "verified" : "WRONG")")
        }

        let body = Array(DemoNotification.ingest(entityRef: UUID().uuidString.lowercased()).utf8)
        let signature = WebhookVerifier.signature(body: body, secret: secret)
        await demo.step("signed notification, chunked") {
            let reply = try await $0.post(webhook, body: body, headers: ["Preservica-Signature": signature], chunked: true)
            return (reply.status == 200 && reply.json["accepted"] as? Int == 1, "\(reply.status) \(reply.text)")
        }
        await demo.step("the same notification again") {
            let reply = try await $0.post(webhook, body: body, headers: ["Preservica-Signature": signature], chunked: false)
            return (reply.status == 200 && reply.json["duplicate"] as? Bool == true, "\(reply.status) \(reply.text) (not spooled twice)")
        }
        await demo.step("a forged signature") {
            let forged = String(signature.reversed())
            let reply = try await $0.post(webhook, body: body, headers: ["Preservica-Signature": forged], chunked: false)
            return (reply.status == 401, "\(reply.status) \(reply.text)")
        }
        await demo.step("spool on disk") { _ in
            let records = IncomingJournal.readRecords(directory: directory + "/incoming")
            return (records.count == 1, "\(records.count) notification in incoming/, fsync'd before the 200")
        }

        await service.stop(gracePeriod: .seconds(2))
        if demo.failures == 0 {
            print("Demo finished: every step answered as expected.")
            return .success
        }
        print("Demo finished with \(demo.failures) unexpected answer(s).")
        return .failure
    }
}

/// Prints one line per demo step and counts the ones that went wrong.
struct DemoRun {
    let client: DemoClient
    private(set) var failures = 0

    init(client: DemoClient) { self.client = client }

    mutating func step(_ name: String, _ body: (DemoClient) async throws -> (Bool, String)) async {
        do {
            let (ok, detail) = try await body(client)
            if !ok { failures += 1 }
            print("\(ok ? "ok  " : "FAIL") \(name): \(detail)")
        } catch {
            failures += 1
            print("FAIL \(name): \(error)")
        }
    }
}

/// Sample notification bodies in Preservica's wire format (compact JSON, as Preservica sends).
enum DemoNotification {
    static func ingest(entityRef: String) -> String {
        let subscription = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        return #"{"subscriptionId":"\#(subscription)","timestamp":"2026-11-29T10:52:42.469","tenant":"DEMO","version":"7.7","#
            + #""events":[{"event":"FullTextIndexed","entityType":"IO","entityRef":"\#(entityRef)","identifiers":[]}],"#
            + #""trigger":"FULL_TEXT_INDEXED"}"#
    }
}
