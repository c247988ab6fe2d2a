import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A loopback port where nothing listens, held for as long as `body` runs: a socket bound to it
/// without `listen`, so a connection is refused and no other test's server can take the port in
/// the meantime (a port freed by stopping a server can be handed out again at once).
public enum RefusingPort {
    /// Runs `body` with the port, then frees it.
    public static func with<T>(_ body: (Int) async throws -> T) async throws -> T {
        let holder = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard holder >= 0 else { throw POSIXError(.EMFILE) }
        defer { close(holder) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(holder, $0, length) == 0 && getsockname(holder, $0, &length) == 0
            }
        }
        guard bound else { throw POSIXError(.EADDRINUSE) }
        return try await body(Int(UInt16(bigEndian: address.sin_port)))
    }
}
