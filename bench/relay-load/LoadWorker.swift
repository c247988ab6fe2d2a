import Foundation
import Hashing

/// One thread's event loop over several nonblocking connections, driven by poll(2), so the load
/// generator spends its CPU on requests rather than on thread switches.
final class LoadWorker {
    private final class Connection {
        var fd: Int32 = -1
        var outbound: [UInt8] = []
        var sent = 0
        var inbound: [UInt8] = []
        var due: Double = 0
        var waiting = false
    }

    let index: Int
    let options: LoadOptions
    private let connectionCount: Int
    private let key: HMACSHA256
    private var counter = 0
    private var result = WorkerResult()

    init(index: Int, connections: Int, options: LoadOptions) {
        self.index = index
        self.connectionCount = connections
        self.options = options
        key = HMACSHA256(key: Array(options.secret.utf8))
    }

    func run(until deadline: Double) -> WorkerResult {
        let interval = options.rate > 0 ? Double(options.connections) / options.rate : 0
        let start = now()
        let connections = (0..<connectionCount).map { offset -> Connection in
            let connection = Connection()
            connection.due = start + (interval > 0 ? Double(offset * options.threads + index) * interval / Double(options.connections) : 0)
            return connection
        }
        var pollSet = [pollfd](repeating: pollfd(), count: connections.count)
        while now() < deadline {
            var nextDue = deadline
            for (slot, connection) in connections.enumerated() {
                if !connection.waiting {
                    if connection.due <= now() {
                        startRequest(connection)
                    } else {
                        nextDue = min(nextDue, connection.due)
                    }
                }
                let wantsWrite = connection.waiting && connection.sent < connection.outbound.count
                pollSet[slot] = pollfd(fd: connection.waiting ? connection.fd : -1,
                                       events: Int16(wantsWrite ? POLLOUT : POLLIN), revents: 0)
            }
            let timeout = max(0, Int32((nextDue - now()) * 1000))
            let ready = poll(&pollSet, nfds_t(pollSet.count), connections.contains { $0.waiting } ? min(timeout, 100) : timeout)
            guard ready > 0 else { continue }
            for (slot, connection) in connections.enumerated() where pollSet[slot].revents != 0 && connection.waiting {
                if pollSet[slot].revents & Int16(POLLOUT) != 0 { flush(connection) }
                if pollSet[slot].revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 { receive(connection, interval: interval) }
            }
        }
        for connection in connections where connection.fd >= 0 { close(connection.fd) }
        return result
    }

    private func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    private func startRequest(_ connection: Connection) {
        if options.rate == 0 { connection.due = now() }
        if connection.fd < 0 {
            connection.fd = connect()
            if connection.fd < 0 {
                result.errors += 1
                connection.due = now() + 0.01
                return
            }
        }
        counter += 1
        connection.outbound = makeRequest(counter)
        connection.sent = 0
        connection.inbound.removeAll(keepingCapacity: true)
        connection.waiting = true
        flush(connection)
    }

    private func flush(_ connection: Connection) {
        while connection.sent < connection.outbound.count {
            let count = connection.outbound.withUnsafeBytes {
                send(connection.fd, $0.baseAddress! + connection.sent, $0.count - connection.sent, Int32(MSG_NOSIGNAL))
            }
            if count > 0 { connection.sent += count; continue }
            // A connect still in progress also answers EAGAIN (or ENOTCONN): wait for POLLOUT.
            if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOTCONN) { return }
            fail(connection)
            return
        }
    }

    private func receive(_ connection: Connection, interval: Double) {
        var chunk = [UInt8](repeating: 0, count: 16_384)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(connection.fd, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                connection.inbound.append(contentsOf: chunk[0..<count])
                continue
            }
            if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { break }
            // EOF: a response without Content-Length ends here (HTTP/1.0 servers).
            if let (status, _) = parse(connection.inbound, closed: true) {
                complete(connection, status: status, keepAlive: false, interval: interval)
            } else {
                fail(connection)
            }
            return
        }
        if let (status, keepAlive) = parse(connection.inbound, closed: false) {
            complete(connection, status: status, keepAlive: keepAlive, interval: interval)
        }
    }

    private func complete(_ connection: Connection, status: Int, keepAlive: Bool, interval: Double) {
        result.latencies.append(now() - connection.due)
        result.statuses[status, default: 0] += 1
        if (200..<300).contains(status) { result.ok += 1 } else { result.rejected += 1 }
        connection.waiting = false
        if interval > 0 { connection.due += interval }
        if !keepAlive {
            close(connection.fd)
            connection.fd = -1
        }
    }

    private func fail(_ connection: Connection) {
        result.errors += 1
        close(connection.fd)
        connection.fd = -1
        connection.waiting = false
        connection.due = now() + 0.01
    }

    /// The status and keep-alive of a complete response in `bytes`, or nil while incomplete.
    /// Byte-level, so the generator spends little CPU per response.
    private func parse(_ bytes: [UInt8], closed: Bool) -> (Int, Bool)? {
        bytes.withUnsafeBufferPointer { b -> (Int, Bool)? in
            guard b.count >= 16 else { return nil }
            var headEnd = -1
            var i = 12
            while i + 3 < b.count {
                if b[i] == 13 && b[i + 1] == 10 && b[i + 2] == 13 && b[i + 3] == 10 { headEnd = i; break }
                i += 1
            }
            guard headEnd >= 0 else { return nil }
            // "HTTP/1.x NNN"
            let status = Int(b[9] &- 48) * 100 + Int(b[10] &- 48) * 10 + Int(b[11] &- 48)
            var keepAlive = b[7] == UInt8(ascii: "1")
            var length: Int?
            var lineStart = 0
            var j = 0
            while j < headEnd {
                if b[j] == 13 {
                    lineStart = j + 2
                    j += 2
                    continue
                }
                if j == lineStart {
                    let lower = b[j] | 0x20
                    if lower == UInt8(ascii: "c"), let value = headerValue(b, at: j, name: "content-length:") {
                        length = 0
                        var k = value
                        while k < headEnd && b[k] >= 48 && b[k] <= 57 { length = length! * 10 + Int(b[k] - 48); k += 1 }
                    } else if lower == UInt8(ascii: "c"), let value = headerValue(b, at: j, name: "connection:") {
                        keepAlive = (b[value] | 0x20) != UInt8(ascii: "c")
                    }
                }
                j += 1
            }
            if let length { return b.count >= headEnd + 4 + length ? (status, keepAlive) : nil }
            return closed ? (status, false) : nil
        }
    }

    /// Index of the value after `name` (case-insensitive) starting at `index`, skipping spaces.
    private func headerValue(_ b: UnsafeBufferPointer<UInt8>, at index: Int, name: StaticString) -> Int? {
        let count = name.utf8CodeUnitCount
        guard index + count < b.count else { return nil }
        let matches = name.withUTF8Buffer { expected in
            (0..<count).allSatisfy { (b[index + $0] | 0x20) == (expected[$0] | 0x20) || b[index + $0] == expected[$0] }
        }
        guard matches else { return nil }
        var value = index + count
        while value < b.count && b[value] == 32 { value += 1 }
        return value
    }

    private func connect() -> Int32 {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var info: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(options.host, String(options.port), &hints, &info) == 0, let first = info else { return -1 }
        defer { freeaddrinfo(info) }
        let fd = socket(first.pointee.ai_family, Int32(SOCK_STREAM.rawValue), 0)
        var on: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
        // Nonblocking connect: a server with a short backlog must not stall the other connections.
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        guard Glibc.connect(fd, first.pointee.ai_addr, first.pointee.ai_addrlen) == 0 || errno == EINPROGRESS else {
            close(fd)
            return -1
        }
        return fd
    }

    /// A notification unique to this worker and counter, padded with an identifier to the body size.
    /// The body is built once; each request rewrites the 36 bytes of its entity reference in place.
    private func makeRequest(_ counter: Int) -> [UInt8] {
        if template.isEmpty { buildTemplate() }
        var body = template
        var value = UInt64(counter)
        var position = refOffset + 35
        while position >= refOffset {
            if body[position] != UInt8(ascii: "-") {
                body[position] = Self.hexDigits[Int(value & 0xf)]
                value >>= 4
            }
            position -= 1
        }
        let signature = key.authenticationCode(Self.prefix + body)
        var out = requestHead
        out.append(contentsOf: Self.hex(signature))
        out.append(contentsOf: headTail)
        out.append(contentsOf: body)
        if options.chunked { out.append(contentsOf: Array("\r\n0\r\n\r\n".utf8)) }
        return out
    }

    private static let prefix = Array("preservica-webhook-auth".utf8)
    private static let hexDigits = Array("0123456789abcdef".utf8)
    private static func hex(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes { out.append(hexDigits[Int(byte >> 4)]); out.append(hexDigits[Int(byte & 0xf)]) }
        return out
    }

    private var template: [UInt8] = []
    private var refOffset = 0
    private var requestHead: [UInt8] = []
    private var headTail: [UInt8] = []

    private func buildTemplate() {
        // Each worker's references differ in their first group, so no two workers collide.
        let ref = String(format: "%08x-0000-4000-8000-000000000000", index)
        let head = #"{"subscriptionId":"0123456789abcdef0123456789abcdef","timestamp":"2026-11-29T10:52:42.469","tenant":"BENCH","version":"7.7","events":[{"event":"FullTextIndexed","entityType":"IO","entityRef":""#
        let middle = #"","identifiers":[{"type":"padding","value":""#
        let tail = #""}]}],"trigger":"FULL_TEXT_INDEXED"}"#
        let padding = String(repeating: "x", count: max(0, options.bodySize - head.utf8.count - 36 - middle.utf8.count - tail.utf8.count))
        template = Array((head + ref + middle + padding + tail).utf8)
        refOffset = head.utf8.count
        requestHead = Array("POST \(options.path) HTTP/1.1\r\nHost: \(options.host):\(options.port)\r\nContent-Type: application/json\r\nPreservica-Signature: ".utf8)
        headTail = Array((options.chunked
            ? "\r\nTransfer-Encoding: chunked\r\n\r\n" + String(template.count, radix: 16) + "\r\n"
            : "\r\nContent-Length: \(template.count)\r\n\r\n").utf8)
    }
}
