import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif
@testable import HTTPServer

/// What the per-peer connection cap counts as one peer.
@Suite("Peers for the per-peer cap")
struct PeerGroupTests {
    private func storage(_ text: String) -> sockaddr_storage {
        var storage = sockaddr_storage()
        withUnsafeMutablePointer(to: &storage) { pointer in
            if text.contains(":") {
                pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { sin6 in
                    sin6.pointee.sin6_family = sa_family_t(AF_INET6)
                    _ = inet_pton(AF_INET6, text, &sin6.pointee.sin6_addr)
                }
            } else {
                pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { sin in
                    sin.pointee.sin_family = sa_family_t(AF_INET)
                    _ = inet_pton(AF_INET, text, &sin.pointee.sin_addr)
                }
            }
        }
        return storage
    }

    /// One host commonly holds a whole /64: counted per address, it could open the cap's worth
    /// of connections from each of them.
    @Test("IPv6 addresses of one /64 are one peer; IPv4 and IPv4-mapped addresses are each their own")
    func groups() {
        #expect(Socket.peerGroup(of: storage("2001:db8:1:2::1")) == Socket.peerGroup(of: storage("2001:db8:1:2:ffff:ffff:ffff:ffff")))
        #expect(Socket.peerGroup(of: storage("2001:db8:1:2::1")) == "[2001:db8:1:2::]/64")
        #expect(Socket.peerGroup(of: storage("2001:db8:1:2::1")) != Socket.peerGroup(of: storage("2001:db8:1:3::1")))
        #expect(Socket.peerGroup(of: storage("192.0.2.1")) == "192.0.2.1")
        #expect(Socket.peerGroup(of: storage("192.0.2.1")) != Socket.peerGroup(of: storage("192.0.2.2")))
        #expect(Socket.peerGroup(of: storage("::ffff:192.0.2.1")) != Socket.peerGroup(of: storage("::ffff:192.0.2.2")))
    }

    /// Addresses that stand for something else than one host's /64 keep their whole address.
    @Test("NAT64, link-local and IPv4-compatible addresses are each their own peer")
    func notGrouped() {
        // Behind the well-known NAT64 prefix every IPv4 client shares one /64.
        #expect(Socket.peerGroup(of: storage("64:ff9b::192.0.2.1")) != Socket.peerGroup(of: storage("64:ff9b::192.0.2.2")))
        #expect(Socket.peerGroup(of: storage("fe80::1")) != Socket.peerGroup(of: storage("fe80::2")))
        #expect(Socket.peerGroup(of: storage("::192.0.2.1")) != Socket.peerGroup(of: storage("::192.0.2.2")))
        #expect(PeerGroup.key("2001:db8:1:2::7") == "2001:db8:1:2::/64")
        #expect(PeerGroup.key("64:ff9b::192.0.2.1") == "64:ff9b::192.0.2.1")
        #expect(PeerGroup.key("192.0.2.1") == "192.0.2.1" && PeerGroup.key("not an address") == "not an address")
    }
}
