import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A one-connection HTTP server that answers with a chunked body that never ends (up to 16 MiB,
/// 16 KiB every couple of milliseconds, as a remote server would stream it), for tests of a
/// client's reply limit. It notes whether the client hung up before the end.
///
/// Its socket calls block, so it serves on a thread of its own, off the cooperative and Dispatch pools.
public final class EndlessReplyServer: @unchecked Sendable {
    /// The port it listens on.
    public let port: Int
    private let listener: Int32
    private let lock = NSLock()
    private var sent = 0
    private var hungUp = false
    private var finished = false

    private static let ceiling = 16 << 20

    /// Listens on a free loopback port and serves the first connection.
    public init() throws {
        let socket: (fd: Int32, port: Int)
        do {
            socket = try LoopbackSocket.bound(listening: 4)
        } catch {
            throw RawHTTPClient.ClientError(description: "cannot listen: \(error)")
        }
        listener = socket.fd
        port = socket.port
        Thread { [self] in serve() }.start()
    }

    deinit { Glibc.close(listener) }

    /// Body bytes written so far.
    public var bytesSent: Int { lock.withLock { sent } }

    /// True once the client closed the connection while the body was still coming.
    public var clientHungUp: Bool { lock.withLock { hungUp } }

    /// True once serving ended, by a hang-up or by reaching the 16 MiB ceiling.
    public var isFinished: Bool { lock.withLock { finished } }

    private func serve() {
        let fd = accept(listener, nil, nil)
        guard fd >= 0 else { return }
        defer {
            Glibc.close(fd)
            lock.withLock { finished = true }
        }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var request: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while !request.suffix(4).elementsEqual([13, 10, 13, 10]) {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return }
            request.append(contentsOf: chunk[0..<count])
        }
        guard write(fd, Array("HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)) else {
            return
        }
        let piece = Array("4000\r\n".utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: 0x4000) + Array("\r\n".utf8)
        while bytesSent < Self.ceiling {
            guard write(fd, piece) else {
                // A reset or broken pipe is a hang-up; a send timeout (a client that stopped reading) is not.
                let code = errno
                lock.withLock { hungUp = code == EPIPE || code == ECONNRESET }
                return
            }
            lock.withLock { sent += 0x4000 }
            // Paced (about 8 MB/s) by waiting up to 2 ms for the client to hang up between pieces.
            var watch = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            var peek: UInt8 = 0
            if poll(&watch, 1, 2) > 0, recv(fd, &peek, 1, Int32(MSG_PEEK | MSG_DONTWAIT)) == 0 {
                lock.withLock { hungUp = true }
                return
            }
        }
    }

    private func write(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let count = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { return false }
            offset += count
        }
        return true
    }
}
