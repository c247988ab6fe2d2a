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

    private func now() -> Double { Date().timeIntervalSince1970 }

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
            if count < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { return }
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
    private func parse(_ bytes: [UInt8], closed: Bool) -> (Int, Bool)? {
        guard bytes.count >= 4 else { return nil }
        var headEnd = -1
        for i in 0...(bytes.count - 4) where bytes[i] == 13 && bytes[i + 1] == 10 && bytes[i + 2] == 13 && bytes[i + 3] == 10 {
            headEnd = i
            break
        }
        guard headEnd >= 0 else { return nil }
        let head = String(decoding: bytes[0..<headEnd], as: UTF8.self).lowercased()
        let statusLine = head.prefix { $0 != "\r" }.split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { return nil }
        var length: Int?
        var keepAlive = !head.hasPrefix("http/1.0")
        for line in head.split(separator: "\r\n") {
            if line.hasPrefix("content-length:") { length = Int(line.dropFirst(15).trimmingCharacters(in: .whitespaces)) }
            if line.hasPrefix("connection:") { keepAlive = !line.contains("close") }
        }
        if let length { return bytes.count >= headEnd + 4 + length ? (status, keepAlive) : nil }
        return closed ? (status, false) : nil
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
        guard Glibc.connect(fd, first.pointee.ai_addr, first.pointee.ai_addrlen) == 0 else {
            close(fd)
            return -1
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        return fd
    }

    /// A notification unique to this worker and counter, padded with an identifier to the body size.
    private func makeRequest(_ counter: Int) -> [UInt8] {
        let ref = String(format: "%08x-%04x-4000-8000-%012x", index, counter & 0xffff, counter)
        let head = #"{"subscriptionId":"0123456789abcdef0123456789abcdef","timestamp":"2026-11-29T10:52:42.469","tenant":"BENCH","version":"7.7","events":[{"event":"FullTextIndexed","entityType":"IO","entityRef":""# + ref + #"","identifiers":[{"type":"padding","value":""#
        let tail = #""}]}],"trigger":"FULL_TEXT_INDEXED"}"#
        let padding = String(repeating: "x", count: max(0, options.bodySize - head.utf8.count - tail.utf8.count))
        let body = Array((head + padding + tail).utf8)
        let signature = Hex.encode(key.authenticationCode(Array("preservica-webhook-auth".utf8) + body))
        var text = "POST \(options.path) HTTP/1.1\r\nHost: \(options.host):\(options.port)\r\nContent-Type: application/json\r\n"
            + "Preservica-Signature: \(signature)\r\n"
        if options.chunked {
            text += "Transfer-Encoding: chunked\r\n\r\n" + String(body.count, radix: 16) + "\r\n"
            return Array(text.utf8) + body + Array("\r\n0\r\n\r\n".utf8)
        }
        text += "Content-Length: \(body.count)\r\n\r\n"
        return Array(text.utf8) + body
    }
}
