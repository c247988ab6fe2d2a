import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Name resolution for `check-config --online`: whether a channel's host has an address, without
/// connecting to it, so nothing is posted.
enum HostResolution {
    /// Nil when `host` resolves, else the resolver's reason.
    static func problem(_ host: String) -> String? {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
        hints.ai_socktype = SOCK_STREAM
        #endif
        var result: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &result)
        if let result { freeaddrinfo(result) }
        return status == 0 ? nil : String(cString: gai_strerror(status))
    }
}
