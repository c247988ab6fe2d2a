import Dispatch
import Foundation
import Synchronization
import Testing

@testable import HTTPServer
import TestSupport

@Suite("Event loop")
struct EventLoopTests {
    @Test("work handed over from many threads runs on the loop's thread, each thread's in its order")
    func handOff() async throws {
        let loop = try EventLoop(name: "test.loop")
        defer { loop.shutdown() }
        let seen = Mutex<[(producer: Int, index: Int, onLoop: Bool)]>([])
        DispatchQueue.concurrentPerform(iterations: 4) { producer in
            for index in 0..<500 {
                loop.execute { seen.withLock { $0.append((producer, index, loop.inLoop)) } }
            }
        }
        #expect(await eventually(timeout: .seconds(60)) { seen.withLock { $0.count } == 2000 })
        let all = seen.withLock { $0 }
        #expect(all.allSatisfy { $0.onLoop })
        for producer in 0..<4 {
            #expect(all.filter { $0.producer == producer }.map(\.index) == Array(0..<500))
        }
        #expect(!loop.inLoop)
    }

    @Test("a loop that has shut down refuses work instead of dropping it silently")
    func refusesAfterShutdown() async throws {
        let loop = try EventLoop(name: "test.loop")
        let ran = Atomic<Int>(0)
        #expect(loop.execute { ran.add(1, ordering: .relaxed) })
        loop.shutdown()
        #expect(await eventually { !loop.execute {} })
        #expect(ran.load(ordering: .relaxed) == 1)
    }

    @Test("work put off to the end of a round runs on the loop after the rest of the round; off a loop it is refused")
    func afterTheRound() async throws {
        #expect(!HTTPServer.afterThisRound {}, "not on a loop's thread")
        let loop = try EventLoop(name: "test.loop")
        defer { loop.shutdown() }
        let order = Mutex<[String]>([])
        let accepted = Atomic<Bool>(false)
        loop.execute {
            let taken = HTTPServer.afterThisRound { order.withLock { $0.append("after, on the loop: \(loop.inLoop)") } }
            accepted.store(taken, ordering: .relaxed)
            order.withLock { $0.append("the round") }
        }
        #expect(await eventually { order.withLock { $0.count } == 2 })
        let taken = accepted.load(ordering: .relaxed)
        #expect(taken)
        #expect(order.withLock { $0 } == ["the round", "after, on the loop: true"])
    }

    @Test("timers run in due order and never before they are due")
    func timers() async throws {
        let loop = try EventLoop(name: "test.loop")
        defer { loop.shutdown() }
        let fired = Mutex<[(delay: Int, early: Bool)]>([])
        loop.execute {
            let scheduled = DispatchTime.now().uptimeNanoseconds
            for delay in [30, 10, 20, 0] {
                loop.schedule(afterNanoseconds: delay * 1_000_000) {
                    let early = DispatchTime.now().uptimeNanoseconds < scheduled + UInt64(delay * 1_000_000)
                    fired.withLock { $0.append((delay, early)) }
                }
            }
        }
        #expect(await eventually { fired.withLock { $0.count } == 4 })
        #expect(fired.withLock { $0.map(\.delay) } == [0, 10, 20, 30])
        #expect(fired.withLock { $0.allSatisfy { !$0.early } })
    }
}

/// Answers on the loop, at once, through the callback form; `/hold` keeps its answer until released.
private final class LoopHandler: HTTPHandler, @unchecked Sendable {
    let held = Mutex<[@Sendable (HTTPResponse) -> Void]>([])
    /// `/large` answers handed to the server: unlike the connection count, it stays once the
    /// server has closed the connection, so a late look still sees it.
    let largeAnswers = Mutex(0)

    func handle(_ request: HTTPRequest) async -> HTTPResponse { .text(500, "unused") }

    func handle(_ request: HTTPRequest, respond: @escaping @Sendable (HTTPResponse) -> Void) {
        if request.path == "/hold" {
            held.withLock { $0.append(respond) }
        } else if request.path == "/large" {
            largeAnswers.withLock { $0 += 1 }
            respond(HTTPResponse(status: 200, headers: [:], body: [UInt8](repeating: 0x61, count: 32 << 20)))
        } else {
            respond(.text(200, request.path))
        }
    }
}

@Suite("HTTP server on its event loop")
struct HTTPServerEventLoopTests {
    private func withServer(_ handler: LoopHandler, limits: HTTPServerLimits = HTTPServerLimits(),
                            _ body: (HTTPServer, Int) async throws -> Void) async throws {
        try await withHTTPServer(handler, limits: limits, body)
    }

    @Test("answers given at once on the loop go out in order for 200 pipelined requests sent in one write")
    func pipelinedInline() async throws {
        try await withServer(LoopHandler()) { _, port in
            let client = try RawHTTPClient(port: port)
            try await client.send((0..<200).map { "GET /r\($0) HTTP/1.1\r\nHost: t\r\n\r\n" }.joined())
            for index in 0..<200 {
                let response = try await client.readResponse()
                #expect(response.status == 200)
                #expect(response.bodyText == "/r\(index)")
            }
        }
    }

    @Test("a peer that resets while its request is held is dropped once the answer comes, and the server goes on", .timeLimit(.minutes(1)))
    func resetWhileHandling() async throws {
        let handler = LoopHandler()
        try await withServer(handler) { server, port in
            let client = try RawHTTPClient(port: port)
            try await client.send("GET /hold HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(await eventually { handler.held.withLock { $0.count } == 1 })
            client.reset()
            // The answer for a peer that is gone: nothing to write to, the connection closes.
            handler.held.withLock { $0.removeFirst() }(.text(200, "late"))
            #expect(await eventually { server.connectionCount == 0 })
            let next = try RawHTTPClient(port: port)
            try await next.send("GET /after HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try await next.readResponse().bodyText == "/after")
        }
    }

    @Test("stopping twice: the second stop returns at once", .timeLimit(.minutes(1)))
    func stopTwice() async throws {
        let server = HTTPServer(configuration: .init(host: "127.0.0.1", port: 0), handler: LoopHandler())
        try server.start()
        await server.stop(gracePeriod: .seconds(1))
        await server.stop(gracePeriod: .seconds(1))
        #expect(server.connectionCount == 0)
    }

    @Test("while a large answer waits for a client that does not read, what it keeps sending is not taken in")
    func noReadingWhileAnswerWaits() async throws {
        let limits = HTTPServerLimits(parser: HTTPParserLimits(maxHeaderBytes: 4096, maxBodyBytes: 4096))
        try await withServer(LoopHandler(), limits: limits) { _, port in
            let socket = try NonReadingClient(port: port)
            #expect(socket.push(Array("GET /large HTTP/1.1\r\nHost: t\r\n\r\n".utf8)) > 0)
            // Junk after the request: the server must stop reading until its answer is out, so the
            // socket's buffers fill and the rest is refused; without that it takes all 64 MiB.
            let taken = socket.push([UInt8](repeating: 0x78, count: 64 << 20))
            #expect(taken < 24 << 20, "the server took \(taken >> 20) MiB while its answer waited")
        }
    }

    @Test("a client that never reads its answer is closed after bodyTimeout, not kept for good", .timeLimit(.minutes(1)))
    func writeTimeout() async throws {
        let limits = HTTPServerLimits(bodyTimeout: .seconds(3))
        let handler = LoopHandler()
        try await withServer(handler, limits: limits) { server, port in
            let socket = try NonReadingClient(port: port)
            #expect(socket.push(Array("GET /large HTTP/1.1\r\nHost: t\r\n\r\n".utf8)) > 0)
            #expect(await eventually { handler.largeAnswers.withLock { $0 } == 1 })
            #expect(await eventually(timeout: .seconds(60)) { server.connectionCount == 0 })
        }
    }

    @Test("a client that takes its answer a little at a time gets bodyTimeout for the whole rest, not a new one per read", .timeLimit(.minutes(1)))
    func slowReaderTimeout() async throws {
        let limits = HTTPServerLimits(bodyTimeout: .seconds(2))
        let handler = LoopHandler()
        try await withServer(handler, limits: limits) { server, port in
            let socket = try NonReadingClient(port: port)
            #expect(socket.push(Array("GET /large HTTP/1.1\r\nHost: t\r\n\r\n".utf8)) > 0)
            #expect(await eventually { handler.largeAnswers.withLock { $0 } == 1 })
            // About 3 MiB/s: the server's send buffer (up to 4 MiB) makes room often enough for it
            // to see progress every second or so, while 32 MiB takes over 10 s. Each time used to
            // start the clock again.
            let trickling = Task.detached { socket.trickle(bytes: 65_536, every: .milliseconds(20), for: .seconds(20)) }
            let closed = await eventually(timeout: .seconds(8)) { server.connectionCount == 0 }
            socket.stopTrickling()
            #expect(closed, "a client taking its answer slowly kept the connection past bodyTimeout")
            #expect(await trickling.value < 32 << 20, "the client took the whole answer")
        }
    }
}

private struct ConnectFailed: Error {}

/// A client socket that sends without ever reading, and stops sending once the server stops
/// taking bytes (the socket stays unwritable for half a second).
private final class NonReadingClient: Sendable {
    private let fd: Int32
    /// A pipe whose reading end turns readable once ``stopTrickling()`` writes to it:
    /// ``trickle(bytes:every:for:)`` waits on it between reads.
    private let stopRead: Int32
    private let stopWrite: Int32

    init(port: Int) throws {
        var ends: [Int32] = [-1, -1]
        _ = pipe(&ends)
        (stopRead, stopWrite) = (ends[0], ends[1])
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw ConnectFailed() }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
    }

    deinit {
        close(fd)
        close(stopRead)
        close(stopWrite)
    }

    /// Reads up to `bytes` at a time, `interval` apart, until the server closes, ``stopTrickling()``
    /// is called (it ends the wait between reads at once) or `limit` passes; returns how much it read.
    func trickle(bytes: Int, every interval: Duration, for limit: Duration) -> Int {
        let end = ContinuousClock.now + limit
        let pace = Int32(interval.components.seconds * 1000 + interval.components.attoseconds / 1_000_000_000_000_000)
        var taken = 0
        var buffer = [UInt8](repeating: 0, count: bytes)
        while ContinuousClock.now < end {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count == 0 || (count < 0 && errno != EAGAIN && errno != EWOULDBLOCK) { break }
            if count > 0 { taken += count }
            var stopped = pollfd(fd: stopRead, events: Int16(POLLIN), revents: 0)
            if poll(&stopped, 1, pace) > 0 { break }
        }
        return taken
    }

    /// Ends ``trickle(bytes:every:for:)``.
    func stopTrickling() {
        _ = write(stopWrite, [UInt8(1)], 1)
    }

    /// Sends as much of `bytes` as the server takes; returns how much that was.
    func push(_ bytes: [UInt8]) -> Int {
        var sent = 0
        while sent < bytes.count {
            let count = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + sent, min(65_536, bytes.count - sent), Int32(MSG_NOSIGNAL)) }
            if count > 0 {
                sent += count
                continue
            }
            guard count < 0, errno == EAGAIN || errno == EWOULDBLOCK else { break }
            var waiting = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            if poll(&waiting, 1, 500) <= 0 { break }
        }
        return sent
    }
}
