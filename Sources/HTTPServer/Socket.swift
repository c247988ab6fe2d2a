#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A failed socket call, with the call's name and `errno`.
public struct SocketError: Error, Sendable, CustomStringConvertible {
    /// The system call that failed.
    public var call: String
    /// The `errno` it left, or 0.
    public var code: Int32
    /// Extra context, e.g. the address.
    public var detail: String

    public var description: String {
        let message = code == 0 ? "" : ": " + String(cString: strerror(code))
        return "\(call) \(detail)\(message)".replacingOccurrences(of: "  ", with: " ")
    }
}

extension String {
    fileprivate func replacingOccurrences(of target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}

/// Thin helpers over the POSIX socket calls the server needs.
enum Socket {
    /// Opens a nonblocking listening socket on `host:port` (numeric or resolvable host; port 0 picks one).
    static func listen(host: String, port: Int, backlog: Int32) throws -> Int32 {
        var hints = addrinfo()
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host.isEmpty ? nil : host, String(port), &hints, &result)
        guard status == 0, let first = result else {
            throw SocketError(call: "getaddrinfo", code: 0, detail: "\(host): " + String(cString: gai_strerror(status)))
        }
        defer { freeaddrinfo(result) }

        let fd = socket(first.pointee.ai_family, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw SocketError(call: "socket", code: errno, detail: "") }
        var on: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        guard bind(fd, first.pointee.ai_addr, first.pointee.ai_addrlen) == 0 else {
            let code = errno
            close(fd)
            throw SocketError(call: "bind", code: code, detail: "\(host):\(port)")
        }
        guard Glibc.listen(fd, backlog) == 0 else {
            let code = errno
            close(fd)
            throw SocketError(call: "listen", code: code, detail: "\(host):\(port)")
        }
        try setNonBlocking(fd)
        return fd
    }

    /// Marks `fd` nonblocking and close-on-exec.
    static func setNonBlocking(_ fd: Int32) throws {
        let flags = fcntl(fd, F_GETFL)
        guard flags >= 0, fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0 else {
            throw SocketError(call: "fcntl", code: errno, detail: "")
        }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
    }

    /// Turns off Nagle's algorithm so a response is not held back waiting for an ACK.
    static func setNoDelay(_ fd: Int32) {
        var on: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &on, socklen_t(MemoryLayout<Int32>.size))
    }

    /// The port a socket is bound to.
    static func localPort(_ fd: Int32) -> Int {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let ok = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) == 0 }
        }
        guard ok else { return 0 }
        return port(of: storage)
    }

    /// `address:port`, with IPv6 addresses in brackets.
    static func describe(_ storage: sockaddr_storage) -> String {
        var copy = storage
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
        switch Int32(storage.ss_family) {
        case AF_INET:
            return withUnsafePointer(to: &copy) {
                $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { sin in
                    var address = sin.pointee.sin_addr
                    inet_ntop(AF_INET, &address, &text, socklen_t(text.count))
                    return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                        + ":\(port(of: storage))"
                }
            }
        case AF_INET6:
            return withUnsafePointer(to: &copy) {
                $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { sin6 in
                    var address = sin6.pointee.sin6_addr
                    inet_ntop(AF_INET6, &address, &text, socklen_t(text.count))
                    return "[" + String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
                        + "]:\(port(of: storage))"
                }
            }
        default:
            return ""
        }
    }

    /// The address alone, without the port (IPv6 in brackets), e.g. to count connections per peer.
    static func address(of storage: sockaddr_storage) -> String {
        let described = describe(storage)
        guard let colon = described.lastIndex(of: ":") else { return described }
        return String(described[..<colon])
    }

    /// What the per-peer cap counts (``PeerGroup``): the address alone, or its /64 for IPv6.
    static func peerGroup(of storage: sockaddr_storage) -> String {
        guard Int32(storage.ss_family) == AF_INET6 else { return address(of: storage) }
        var copy = storage
        let grouped = withUnsafePointer(to: &copy) {
            $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { PeerGroup.key(ipv6: $0.pointee.sin6_addr) }
        }
        return grouped.map { "[" + $0.replacingOccurrences(of: "/64", with: "]/64") } ?? address(of: storage)
    }

    private static func port(of storage: sockaddr_storage) -> Int {
        var copy = storage
        switch Int32(storage.ss_family) {
        case AF_INET:
            return withUnsafePointer(to: &copy) {
                $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin_port)) }
            }
        case AF_INET6:
            return withUnsafePointer(to: &copy) {
                $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin6_port)) }
            }
        default:
            return 0
        }
    }
}
