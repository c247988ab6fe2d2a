import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An IPv4 or IPv6 address range written as `172.17.0.1`, `172.16.0.0/12` or `fd00::/8`, such as
/// the proxies `console.trustedProxies` names.
public struct AddressRange: Sendable, Equatable {
    private let network: [UInt8]
    private let prefix: Int

    /// Reads `text`; nil when it is no address or range.
    public init?(_ text: String) {
        // Empty parts kept: "" and "/" are no range (not a crash), "10.0.0.5/" no prefix length.
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard let first = parts.first, let address = Self.bytes(first) else { return nil }
        let bits = address.count * 8
        let length = parts.count == 2 ? Int(parts[1]) : bits
        guard let length, (0...bits).contains(length) else { return nil }
        network = address
        prefix = length
    }

    /// Whether `peer` (`203.0.113.9:5000`, `[::1]:5000`, or an address alone) is in the range; an
    /// IPv4 address mapped into IPv6 counts as the IPv4 address.
    public func contains(peer: String) -> Bool {
        guard var address = Self.bytes(Self.host(of: peer)) else { return false }
        if address.count == 16, network.count == 4, address[0..<10].allSatisfy({ $0 == 0 }), address[10] == 0xFF, address[11] == 0xFF {
            address = Array(address[12...])
        }
        guard address.count == network.count else { return false }
        var left = prefix
        for (mine, theirs) in zip(network, address) where left > 0 {
            let mask: UInt8 = left >= 8 ? 0xFF : ~(0xFF >> UInt8(left))
            if mine & mask != theirs & mask { return false }
            left -= 8
        }
        return true
    }

    /// The address part of a peer: `[v6]:port`, `v4:port`, or the address alone.
    static func host(of peer: String) -> String {
        if peer.hasPrefix("["), let close = peer.firstIndex(of: "]") { return String(peer[peer.index(after: peer.startIndex)..<close]) }
        if peer.filter({ $0 == ":" }).count == 1, let colon = peer.lastIndex(of: ":") { return String(peer[..<colon]) }
        return peer
    }

    private static func bytes(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: v6) { Array($0) } }
        return nil
    }
}
