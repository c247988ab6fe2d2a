import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Which client addresses count as one peer, for the per-peer connection cap and the console's
/// sign-in limit: an IPv4 address alone, and an IPv6 address by its /64, since one host commonly
/// holds a whole /64 and could otherwise act from each address in turn. IPv6 addresses that
/// stand for something else keep their whole address: IPv4 mapped or compatible (`::ffff:a.b.c.d`,
/// `::a.b.c.d`), IPv4 behind the well-known NAT64 prefix (`64:ff9b::/96`, where the /64 would make
/// every IPv4 client one peer) and link-local ones (`fe80::/10`).
///
/// A /64 can also be a shared network (an office LAN, a cloud subnet): its clients then share one
/// cap and one failure count.
public enum PeerGroup {
    /// The key for `host`, an address without port or brackets; `host` itself when it is not an
    /// IPv6 address to group.
    public static func key(_ host: String) -> String {
        guard host.contains(":") else { return host }
        var address = in6_addr()
        guard inet_pton(AF_INET6, host, &address) == 1 else { return host }
        return key(ipv6: address) ?? host
    }

    /// The /64 of an IPv6 address, written `2001:db8:1:2::/64`; nil when it keeps its whole address.
    static func key(ipv6 address: in6_addr) -> String? {
        var copy = address
        return withUnsafeMutableBytes(of: &copy) { bytes -> String? in
            let firstTen = bytes.prefix(10).allSatisfy { $0 == 0 }
            let mapped = firstTen && bytes[10] == 0xff && bytes[11] == 0xff
            let compatible = firstTen && bytes[10] == 0 && bytes[11] == 0
            let nat64 = bytes[0] == 0x00 && bytes[1] == 0x64 && bytes[2] == 0xff && bytes[3] == 0x9b && bytes[4..<12].allSatisfy { $0 == 0 }
            let linkLocal = bytes[0] == 0xfe && (bytes[1] & 0xc0) == 0x80
            if mapped || compatible || nat64 || linkLocal { return nil }
            for index in 8..<16 { bytes[index] = 0 }
            var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN) + 1)
            guard inet_ntop(AF_INET6, bytes.baseAddress, &text, socklen_t(text.count)) != nil else { return nil }
            return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) + "/64"
        }
    }
}
