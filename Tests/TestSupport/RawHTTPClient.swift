import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A TCP client for tests that must send exactly the bytes they mean, including broken HTTP.
///
/// Its socket calls block, so each runs on a thread of its own: never on the two-thread cooperative
/// pool that the server under test needs for its handlers, nor on Dispatch's worker pool, where
/// the server's `async` routes start.
public final class RawHTTPClient: @unchecked Sendable {
    /// A response as read off the wire.
    public struct Response: @unchecked Sendable {
        public var status: Int
        public var headers: [String: String]
        public var body: [UInt8]
        public var bodyText: String { String(decoding: body, as: UTF8.self) }
        /// The body parsed as a JSON object.
        public var json: [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:]
        }
    }

    public struct ClientError: Error, CustomStringConvertible {
        public var description: String
    }

    private let fd: Int32
    private var buffer: [UInt8] = []

    /// Connects to `host:port` with a receive timeout, from `sourceAddress` when given (an IPv4
    /// loopback address such as 127.0.0.2, so a test can play a second client machine). The
    /// default timeout is for answers that must come, so it is long: a loaded machine has taken
    /// over 10 s. A test that shows an answer does not come passes its own, short one.
    public init(host: String = "127.0.0.1", port: Int, timeout: TimeInterval = 30, sourceAddress: String? = nil) throws {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &result) == 0, let info = result else {
            throw ClientError(description: "cannot resolve \(host)")
        }
        defer { freeaddrinfo(result) }
        fd = socket(info.pointee.ai_family, Int32(SOCK_STREAM.rawValue), 0)
        var tv = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - floor(timeout)) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        if let sourceAddress {
            var local = sockaddr_in()
            local.sin_family = sa_family_t(AF_INET)
            inet_pton(AF_INET, sourceAddress, &local.sin_addr)
            let bound = withUnsafePointer(to: &local) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard bound == 0 else {
                // No close here: `fd` is set, so a throw runs deinit, which closes it. Closing it
                // twice could close a descriptor another test has just been given.
                let code = errno
                throw ClientError(description: "bind to \(sourceAddress) failed: \(String(cString: strerror(code)))")
            }
        }
        guard connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 else {
            let code = errno  // deinit closes `fd`
            throw ClientError(description: "connect failed: \(String(cString: strerror(code)))")
        }
    }

    deinit { Glibc.close(fd) }

    /// Sends `text` as UTF-8.
    public func send(_ text: String) async throws { try await send(Array(text.utf8)) }

    /// Sends raw bytes.
    public func send(_ bytes: [UInt8]) async throws {
        try await offPool { try self.sendBlocking(bytes) }
    }

    /// Reads one response (Content-Length framed).
    public func readResponse() async throws -> Response {
        try await offPool { try self.readResponseBlocking() }
    }

    /// Sends each request and reads its response before the next, all on one thread of its own:
    /// the caller's task waits once, not once per step, so a busy cooperative pool cannot stretch
    /// the exchange.
    public func exchange(_ requests: [String]) async throws -> [Response] {
        try await offPool {
            try requests.map { request in
                try self.sendBlocking(Array(request.utf8))
                return try self.readResponseBlocking()
            }
        }
    }

    /// True when the server closed the connection (reads EOF) within the timeout.
    public func isClosedByPeer() async -> Bool {
        (try? await offPool { self.isClosedByPeerBlocking() }) ?? false
    }

    private func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            // A thread of its own: a blocking call on a Dispatch worker would take a thread from the
            // pool that the server under test runs its connections on, and stall it under load.
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }

    private func sendBlocking(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw ClientError(description: "send failed: \(String(cString: strerror(errno)))") }
            offset += sent
        }
    }

    /// Half-closes the sending side.
    public func shutdownWrite() { shutdown(fd, Int32(SHUT_WR)) }

    /// Makes the eventual close a reset (RST) instead of an orderly FIN, and shuts both directions
    /// now, as a peer that crashes or times out hard does.
    public func reset() {
        var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
        shutdown(fd, Int32(SHUT_RDWR))
    }

    private func readResponseBlocking() throws -> Response {
        var headEnd: Int?
        while true {
            if let end = findHeadEnd() { headEnd = end; break }
            guard try fill() else { throw ClientError(description: "connection closed before a response (\(buffer.count) bytes)") }
        }
        let head = String(decoding: buffer[0..<headEnd!], as: UTF8.self)
        buffer.removeFirst(headEnd! + 4)
        var lines = head.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { throw ClientError(description: "bad status line \(head)") }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body: [UInt8] = []
        if status >= 200, let length = headers["content-length"].flatMap(Int.init) {
            while buffer.count < length {
                guard try fill() else { throw ClientError(description: "connection closed inside the body") }
            }
            body = Array(buffer[0..<length])
            buffer.removeFirst(length)
        }
        return Response(status: status, headers: headers, body: body)
    }

    private func isClosedByPeerBlocking() -> Bool {
        while true {
            do {
                if try !fill() { return true }
            } catch {
                return false
            }
        }
    }

    private func fill() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if count > 0 { buffer.append(contentsOf: chunk[0..<count]); return true }
        if count == 0 { return false }
        if errno == ECONNRESET { return false }
        throw ClientError(description: "read timed out or failed: \(String(cString: strerror(errno)))")
    }

    private func findHeadEnd() -> Int? {
        guard buffer.count >= 4 else { return nil }
        for i in 0...(buffer.count - 4) where buffer[i] == 13 && buffer[i + 1] == 10 && buffer[i + 2] == 13 && buffer[i + 3] == 10 {
            return i
        }
        return nil
    }
}
