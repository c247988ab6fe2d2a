import Testing
import Foundation

import HTTPServer
import TestSupport

/// Answers every request with 200 and its target.
private struct TargetHandler: HTTPHandler {
    func handle(_ request: HTTPRequest) async -> HTTPResponse {
        .text(200, request.target)
    }
}

/// Answers `/hold` on the event loop itself once `release` is signalled, holding the loop (and
/// its accepting) until then; everything else with 200 and its target.
private final class LoopHoldingHandler: HTTPHandler, @unchecked Sendable {
    let release = DispatchSemaphore(value: 0)
    let holding = DispatchSemaphore(value: 0)

    func handle(_ request: HTTPRequest) async -> HTTPResponse {
        .text(200, request.target)
    }

    func handle(_ request: HTTPRequest, respond: @escaping @Sendable (HTTPResponse) -> Void) {
        guard request.target == "/hold" else { return respond(.text(200, request.target)) }
        holding.signal()
        release.wait()
        respond(.text(200, "held"))
    }
}

/// Silent and idle connections must not keep a client with a request out: the first-byte
/// timeout, the per-peer cap and shedding at the caps. Silent clients come from 127.0.0.2, the
/// client with a request from 127.0.0.1, as two machines would.
@Suite("HTTP server under connection pressure")
struct HTTPServerSheddingTests {
    private static let otherPeer = "127.0.0.2"

    private func withServer(limits: HTTPServerLimits, _ body: (HTTPServer, Int) async throws -> Void) async throws {
        try await withHTTPServer(TargetHandler(), limits: limits, body)
    }

    /// Waits until `condition` holds, for at most 60 seconds.
    private func waitUntil(_ condition: () -> Bool) async -> Bool {
        await eventually(timeout: .seconds(60)) { condition() }
    }

    private func get(_ path: String, port: Int) async throws -> RawHTTPClient.Response {
        let client = try RawHTTPClient(port: port, timeout: 5)
        try await client.send("GET \(path) HTTP/1.1\r\nHost: t\r\n\r\n")
        return try await client.readResponse()
    }

    @Test("a connection that sends nothing is closed after the first-byte timeout, not the idle timeout")
    func silentConnectionClosed() async throws {
        let limits = HTTPServerLimits(idleTimeout: .seconds(60), firstByteTimeout: .milliseconds(200))
        try await withServer(limits: limits) { _, port in
            let silent = try RawHTTPClient(port: port, timeout: 10)
            #expect(await silent.isClosedByPeer())
        }
    }

    @Test("empty lines before the first request do not buy the idle timeout")
    func emptyLinesKeepTheHeaderClock() async throws {
        let limits = HTTPServerLimits(headerTimeout: .milliseconds(300), idleTimeout: .seconds(60), firstByteTimeout: .seconds(60))
        try await withServer(limits: limits) { _, port in
            let client = try RawHTTPClient(port: port, timeout: 10)
            try await client.send("\r\n")
            #expect(await client.isClosedByPeer())
        }
    }

    @Test("at maxConnections, silent connections are shed for a client with a request")
    func shedSilentAtTheCap() async throws {
        let limits = HTTPServerLimits(headerTimeout: .seconds(60), maxConnections: 4, firstByteTimeout: .seconds(60), maxConnectionsPerPeer: 0)
        try await withServer(limits: limits) { server, port in
            let silent = try (0..<4).map { _ in try RawHTTPClient(port: port, sourceAddress: Self.otherPeer) }
            #expect(await waitUntil { server.connectionCount == 4 })
            let response = try await get("/wanted", port: port)
            #expect(response.status == 200)
            #expect(response.bodyText == "/wanted")
            #expect(server.connectionsShed >= 1)
            withExtendedLifetime(silent) {}
        }
    }

    @Test("a kept-alive idle connection is shed before one that is sending its request")
    func idleBeforeBusy() async throws {
        let limits = HTTPServerLimits(headerTimeout: .seconds(60), maxConnections: 2, firstByteTimeout: .seconds(60), maxConnectionsPerPeer: 0)
        try await withServer(limits: limits) { server, port in
            let busy = try RawHTTPClient(port: port)
            try await busy.send("GET /busy HTTP/1.1\r\nHost: t\r\n")
            let idle = try RawHTTPClient(port: port)
            try await idle.send("GET /idle HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try await idle.readResponse().status == 200)
            #expect(await waitUntil { server.connectionCount == 2 && server.idleConnectionCount == 1 })

            #expect(try await get("/new", port: port).status == 200)
            #expect(await idle.isClosedByPeer())
            try await busy.send("\r\n")
            #expect(try await busy.readResponse().bodyText == "/busy")
        }
    }

    @Test("over maxConnectionsPerPeer a peer's own silent connections make room; other peers are untouched")
    func perPeerCap() async throws {
        let limits = HTTPServerLimits(headerTimeout: .seconds(60), maxConnections: 16, firstByteTimeout: .seconds(60), maxConnectionsPerPeer: 4)
        try await withServer(limits: limits) { server, port in
            let silent = try (0..<40).map { _ in try RawHTTPClient(port: port, sourceAddress: Self.otherPeer) }
            #expect(await waitUntil { server.connectionsShed + server.connectionsRefused == 36 })
            #expect(await waitUntil { server.connectionCount == 4 })
            let response = try await get("/wanted", port: port)
            #expect(response.status == 200)
            withExtendedLifetime(silent) {}
        }
    }

    @Test("connections that queue up while the loop is busy, each already sending a request, cannot pass the per-peer cap by naming each other for shedding")
    func perPeerCapHoldsForAQueuedBurst() async throws {
        let limits = HTTPServerLimits(headerTimeout: .seconds(60), maxConnections: 64, firstByteTimeout: .seconds(60), maxConnectionsPerPeer: 4)
        let handler = LoopHoldingHandler()
        try await withHTTPServer(handler, limits: limits) { server, port in
            let holder = try RawHTTPClient(port: port, timeout: 10)
            try await holder.send("GET /hold HTTP/1.1\r\nHost: t\r\n\r\n")
            await Task.detached { handler.holding.wait() }.value
            // The loop is held: these wait in the listen backlog with part of a request each sent.
            var burst: [RawHTTPClient] = []
            for _ in 0..<20 {
                let client = try RawHTTPClient(port: port, timeout: 10, sourceAddress: Self.otherPeer)
                try await client.send("GET /slow HTTP/1.1\r\nHost: t\r\n")
                burst.append(client)
            }
            handler.release.signal()
            #expect(try await holder.readResponse().bodyText == "held")
            #expect(await waitUntil { server.connectionsRefused + server.connectionsShed >= 16 },
                    "refused \(server.connectionsRefused), shed \(server.connectionsShed), open \(server.connectionCount)")
            // The holder and at most four of the burst.
            #expect(await waitUntil { server.connectionCount <= 5 }, "open \(server.connectionCount)")
            withExtendedLifetime(burst) {}
        }
    }

    @Test("over maxConnectionsPerPeer with every connection of the peer busy, a new one is refused with 503")
    func perPeerRefusal() async throws {
        // Timeouts far away: under a loaded test run, a connection must not time out before it is counted.
        let limits = HTTPServerLimits(headerTimeout: .seconds(60), maxConnections: 16, firstByteTimeout: .seconds(60), maxConnectionsPerPeer: 2)
        try await withServer(limits: limits) { server, port in
            let busy = try (0..<2).map { _ in try RawHTTPClient(port: port, sourceAddress: Self.otherPeer) }
            for client in busy { try await client.send("GET /busy HTTP/1.1\r\nHost: t\r\n") }
            #expect(await waitUntil { server.connectionCount == 2 && server.idleConnectionCount == 0 })
            let refused = try RawHTTPClient(port: port, timeout: 5, sourceAddress: Self.otherPeer)
            #expect(try await refused.readResponse().status == 503)
            #expect(server.connectionsRefused == 1)
            #expect(try await get("/other-peer", port: port).status == 200)
        }
    }
}
