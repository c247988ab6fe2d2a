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
        #expect(await eventually(timeout: .seconds(10)) { seen.withLock { $0.count } == 2000 })
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

    func handle(_ request: HTTPRequest) async -> HTTPResponse { .text(500, "unused") }

    func handle(_ request: HTTPRequest, respond: @escaping @Sendable (HTTPResponse) -> Void) {
        if request.path == "/hold" {
            held.withLock { $0.append(respond) }
        } else {
            respond(.text(200, request.path))
        }
    }
}

@Suite("HTTP server on its event loop")
struct HTTPServerEventLoopTests {
    private func withServer(_ handler: LoopHandler, _ body: (HTTPServer, Int) async throws -> Void) async throws {
        let server = HTTPServer(configuration: .init(host: "127.0.0.1", port: 0), handler: handler)
        let port = try server.start()
        do {
            try await body(server, port)
        } catch {
            await server.stop(gracePeriod: .seconds(1))
            throw error
        }
        await server.stop(gracePeriod: .seconds(1))
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
}
