import Testing
import Foundation
import Synchronization

import HTTPServer
import TestSupport

/// Answers every request with its target and body, and `GET /slow` after a pause.
private struct EchoHandler: HTTPHandler {
    func handle(_ request: HTTPRequest) async -> HTTPResponse {
        if request.path == "/slow" {
            try? await Task.sleep(for: .milliseconds(300))
            return .text(200, "slow")
        }
        return HTTPResponse(status: 200, headers: ["Content-Type": "text/plain"], body: Array(request.target.utf8) + Array(":".utf8) + request.body)
    }
}

/// Lets a test hold a request inside the handler until it says so.
private final class Gate: Sendable {
    private struct State {
        var started = false
        var released = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    /// Whether a request has reached the handler.
    var started: Bool { state.withLock { $0.started } }

    /// Called by the handler: returns once ``release()`` has been called.
    func pass() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let released = state.withLock { state in
                state.started = true
                if !state.released { state.waiters.append(continuation) }
                return state.released
            }
            if released { continuation.resume() }
        }
    }

    /// Lets every held request (and any later one) through.
    func release() {
        let waiters = state.withLock { state in
            state.released = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}

private struct GatedHandler: HTTPHandler {
    let gate: Gate
    func handle(_ request: HTTPRequest) async -> HTTPResponse {
        await gate.pass()
        return .text(200, "released")
    }
}

@Suite("HTTP server on loopback")
struct HTTPServerLoopbackTests {
    private func withServer(
        limits: HTTPServerLimits = HTTPServerLimits(), host: String = "127.0.0.1",
        _ body: (HTTPServer, Int) async throws -> Void
    ) async throws {
        try await withHTTPServer(EchoHandler(), limits: limits, host: host, body)
    }

    /// Waits until `condition` holds, for at most 60 seconds.
    private func waitUntil(_ condition: () -> Bool) async -> Bool {
        await eventually(timeout: .seconds(60)) { condition() }
    }

    @Test("keep-alive: two requests on one connection")
    func keepAlive() async throws {
        try await withServer { _, port in
            let client = try RawHTTPClient(port: port)
            try await client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\none")
            #expect(try await client.readResponse().bodyText == "/echo:one")
            try await client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\ntwo")
            #expect(try await client.readResponse().bodyText == "/echo:two")
        }
    }

    @Test("pipelined requests are answered in order, even when the first is slower")
    func pipelined() async throws {
        try await withServer { _, port in
            let client = try RawHTTPClient(port: port)
            try await client.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\nPOST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\n\r\nx")
            #expect(try await client.readResponse().bodyText == "slow")
            #expect(try await client.readResponse().bodyText == "/echo:x")
        }
    }

    /// `nc -N` and scripts send their requests and then close their side: every request sent
    /// before the close is answered, the last with `Connection: close`.
    @Test("pipelined requests sent before a half-close are all answered")
    func pipelinedThenHalfClosed() async throws {
        try await withServer { _, port in
            let client = try RawHTTPClient(port: port)
            try await client.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\nPOST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\n\r\nx")
            client.shutdownWrite()
            #expect(try await client.readResponse().bodyText == "slow")
            let second = try await client.readResponse()
            #expect(second.bodyText == "/echo:x")
            #expect(second.headers["connection"]?.lowercased() == "close")
            #expect(await client.isClosedByPeer())
        }
    }

    @Test("Expect: 100-continue gets a 100 before the body is sent")
    func expectContinue() async throws {
        try await withServer { _, port in
            let client = try RawHTTPClient(port: port)
            try await client.send("POST /echo HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n")
            #expect(try await client.readResponse().status == 100)
            try await client.send("body")
            #expect(try await client.readResponse().bodyText == "/echo:body")
        }
    }

    @Test("chunked request body over the socket, with extensions and trailers")
    func chunked() async throws {
        try await withServer { server, port in
            let client = try RawHTTPClient(port: port)
            try await client.send("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n")
            // The rest goes in a separate read: once the server has the head, the connection is no longer idle.
            #expect(await waitUntil { server.connectionCount == 1 && server.idleConnectionCount == 0 })
            try await client.send("2\r\nde\r\n0\r\nTrailer: 1\r\n\r\n")
            #expect(try await client.readResponse().bodyText == "/echo:abcde")
        }
    }

    @Test("a slow header block gets 408 and the connection closes")
    func slowHeader() async throws {
        try await withServer(limits: HTTPServerLimits(headerTimeout: .milliseconds(300))) { _, port in
            let client = try RawHTTPClient(port: port)
            try await client.send("POST /echo HTTP/1.1\r\nHost: t\r\n")
            let response = try await client.readResponse()
            #expect(response.status == 408)
            #expect(response.headers["connection"] == "close")
            #expect(await client.isClosedByPeer())
        }
    }

    @Test("a slow body gets 408")
    func slowBody() async throws {
        try await withServer(limits: HTTPServerLimits(bodyTimeout: .milliseconds(300))) { _, port in
            let client = try RawHTTPClient(port: port)
            try await client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc")
            #expect(try await client.readResponse().status == 408)
        }
    }

    @Test("an idle keep-alive connection is closed quietly")
    func idleClose() async throws {
        try await withServer(limits: HTTPServerLimits(idleTimeout: .milliseconds(200))) { _, port in
            let client = try RawHTTPClient(port: port)
            try await client.send("GET /echo HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try await client.readResponse().status == 200)
            #expect(await client.isClosedByPeer())
        }
    }

    @Test("oversized header block is 431 and oversized body is 413, then close")
    func oversized() async throws {
        let limits = HTTPServerLimits(parser: HTTPParserLimits(maxHeaderBytes: 256, maxBodyBytes: 16))
        try await withServer(limits: limits) { _, port in
            let client = try RawHTTPClient(port: port)
            try await client.send("GET / HTTP/1.1\r\nHost: t\r\nX-Big: " + String(repeating: "a", count: 400) + "\r\n\r\n")
            #expect(try await client.readResponse().status == 431)
            #expect(await client.isClosedByPeer())

            let second = try RawHTTPClient(port: port)
            try await second.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 17\r\n\r\n" + String(repeating: "b", count: 17))
            #expect(try await second.readResponse().status == 413)
            #expect(await second.isClosedByPeer())
        }
    }

    @Test("CL with TE and a bad chunk size are 400 and close")
    func framingErrors() async throws {
        try await withServer { _, port in
            let client = try RawHTTPClient(port: port)
            try await client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.status == 400)
            #expect(response.bodyText.contains("Transfer-Encoding"))
            #expect(await client.isClosedByPeer())

            let second = try RawHTTPClient(port: port)
            try await second.send("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nxyz\r\n")
            #expect(try await second.readResponse().status == 400)
        }
    }

    @Test("at maxConnections with every connection busy, a new connection waits in the backlog until one closes")
    func connectionCap() async throws {
        // Timeouts far away: under a loaded test run, a connection must not time out before it is counted.
        let limits = HTTPServerLimits(headerTimeout: .seconds(60), maxConnections: 2, firstByteTimeout: .seconds(60))
        try await withServer(limits: limits) { server, port in
            // Half a request head each: busy, so neither may be shed for the newcomer.
            let first = try RawHTTPClient(port: port)
            let second = try RawHTTPClient(port: port)
            try await first.send("GET /a HTTP/1.1\r\nHost: t\r\n")
            try await second.send("GET /b HTTP/1.1\r\nHost: t\r\n")
            #expect(await waitUntil { server.connectionCount == 2 })

            let third = try RawHTTPClient(port: port, timeout: 0.5)
            try await third.send("GET /c HTTP/1.1\r\nHost: t\r\n\r\n")
            await #expect(throws: RawHTTPClient.ClientError.self) { try await third.readResponse() }

            try await first.send("Connection: close\r\n\r\n")
            _ = try await first.readResponse()
            let deadline = Date().addingTimeInterval(30)
            var answered = false
            while Date() < deadline && !answered {
                answered = (try? await third.readResponse().status) == 200
            }
            #expect(answered)
            #expect(server.connectionsShed == 0)
        }
    }

    @Test("a request with bare LF line ends is answered 400 at once, not after the header timeout")
    func bareLineFeeds() async throws {
        try await withServer(limits: HTTPServerLimits(headerTimeout: .seconds(60))) { _, port in
            let client = try RawHTTPClient(port: port, timeout: 5)
            try await client.send("GET /echo HTTP/1.1\nHost: t\n\n")
            let response = try await client.readResponse()
            #expect(response.status == 400)
            #expect(response.bodyText.contains("bare LF"))
            #expect(await client.isClosedByPeer())
        }
    }

    @Test("stop finishes a request in progress, then refuses new connections")
    func gracefulStop() async throws {
        let gate = Gate()
        let server = HTTPServer(configuration: .init(port: 0), handler: GatedHandler(gate: gate))
        let port = try server.start()
        let client = try RawHTTPClient(port: port)
        try await client.send("GET /gated HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(await waitUntil { gate.started })
        let stopping = Task { await server.stop(gracePeriod: .seconds(5)) }
        // The listener closes in the same step that tells connections to drain.
        #expect(await waitUntil { (try? RawHTTPClient(port: port)) == nil })
        gate.release()
        let response = try await client.readResponse()
        #expect(response.status == 200)
        #expect(response.headers["connection"] == "close")
        await stopping.value
        #expect(throws: RawHTTPClient.ClientError.self) { try RawHTTPClient(port: port) }
    }

    @Test("IPv6 loopback works")
    func ipv6() async throws {
        try await withServer(host: "::1") { _, port in
            let client = try RawHTTPClient(host: "::1", port: port)
            try await client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\nv6")
            #expect(try await client.readResponse().bodyText == "/echo:v6")
        }
    }
}
