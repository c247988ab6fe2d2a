import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where a curator's channel may post: a chat service on the internet, not this machine or the
/// networks behind it. A channel URL is chosen by whoever signs in to the console, and the relay
/// posts to it (a test card at once, reporting what came back), so without this a curator could
/// make the relay reach its own loopback, the cloud's metadata address or the office network.
/// The host is resolved, and every address it has must be public; administrators and
/// `console.allowPrivateChannelURLs` are exempt.
public enum ChannelAddressPolicy {
    /// Why `host` may not be posted to by a curator, or nil when every address it has is public.
    public static func problem(host: String) async -> String? {
        let addresses = await resolve(host)
        guard !addresses.isEmpty else { return "the host \(host) cannot be resolved" }
        if let inner = addresses.first(where: { !isPublic($0) }) {
            return "the host \(host) is \(inner.description) on this machine or a private network; a console channel posts "
                + "to a chat service on the internet (an administrator can allow private addresses)"
        }
        return nil
    }

    /// An address the policy looks at: 4 or 16 bytes.
    public struct Address: Sendable, CustomStringConvertible {
        public var bytes: [UInt8]
        public var description: String {
            if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
            return stride(from: 0, to: 16, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }.joined(separator: ":")
        }
        public init(_ bytes: [UInt8]) { self.bytes = bytes }
    }

    /// Whether an address is on the public internet: not loopback, private (RFC 1918, shared
    /// 100.64/10, unique local fc00::/7), link-local, unspecified, multicast or reserved; an
    /// IPv4-mapped or NAT64 (64:ff9b::/96) address is judged by the IPv4 address inside.
    public static func isPublic(_ address: Address) -> Bool {
        let b = address.bytes
        if b.count == 4 {
            switch b[0] {
            case 0, 10, 127: return false
            case 100 where b[1] & 0xC0 == 64: return false
            case 169 where b[1] == 254: return false
            case 172 where b[1] & 0xF0 == 16: return false
            case 192 where b[1] == 168: return false
            case 192 where b[1] == 0 && b[2] == 0: return false
            case 198 where b[1] & 0xFE == 18: return false
            case 224...255: return false
            default: return true
            }
        }
        guard b.count == 16 else { return false }
        if b[0..<10].allSatisfy({ $0 == 0 }) && b[10] == 0xFF && b[11] == 0xFF { return isPublic(Address(Array(b[12..<16]))) }
        if b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xFF && b[3] == 0x9B && b[4..<12].allSatisfy({ $0 == 0 }) {
            return isPublic(Address(Array(b[12..<16])))
        }
        if b[0..<15].allSatisfy({ $0 == 0 }) { return false }                 // :: and ::1
        if b[0] & 0xFE == 0xFC { return false }                               // fc00::/7
        if b[0] == 0xFE && b[1] & 0xC0 == 0x80 { return false }               // fe80::/10
        if b[0] == 0xFF { return false }                                      // multicast
        return true
    }

    /// Every address `host` resolves to (an address literal is itself), off the cooperative pool.
    private static func resolve(_ host: String) async -> [Address] {
        let name = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                var hints = addrinfo()
                hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
                var result: UnsafeMutablePointer<addrinfo>?
                guard getaddrinfo(name, nil, &hints, &result) == 0 else { return continuation.resume(returning: []) }
                defer { freeaddrinfo(result) }
                var found: [Address] = []
                var next = result
                while let info = next {
                    if info.pointee.ai_family == AF_INET, let raw = info.pointee.ai_addr {
                        raw.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { ipv4 in
                            found.append(Address(withUnsafeBytes(of: ipv4.pointee.sin_addr) { Array($0) }))
                        }
                    } else if info.pointee.ai_family == AF_INET6, let raw = info.pointee.ai_addr {
                        raw.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { ipv6 in
                            found.append(Address(withUnsafeBytes(of: ipv6.pointee.sin6_addr) { Array($0) }))
                        }
                    }
                    next = info.pointee.ai_next
                }
                continuation.resume(returning: found)
            }
        }
    }
}
