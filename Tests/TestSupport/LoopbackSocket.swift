import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A TCP socket bound to a free port on 127.0.0.1, listening or not.
enum LoopbackSocket {
    struct Failure: Error, CustomStringConvertible { var description: String }

    /// The socket and its port; with `backlog` it also listens.
    static func bound(listening backlog: Int32? = nil) throws -> (fd: Int32, port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let ok = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && (backlog.map { listen(fd, $0) == 0 } ?? true) && getsockname(fd, $0, &length) == 0
            }
        }
        guard ok else {
            let reason = String(cString: strerror(errno))
            close(fd)
            throw Failure(description: "cannot bind\(backlog == nil ? "" : " and listen"): \(reason)")
        }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }
}
