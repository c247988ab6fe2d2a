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
        let held = try LoopbackSocket.bound()
        defer { close(held.fd) }
        return try await body(held.port)
    }
}
