import Foundation
import HTTPServer

/// The session cookie: `HttpOnly` (no script reads it), `SameSite=Strict` (no other site's page
/// sends it), `Secure` unless the console is allowed plain HTTP, scoped to `/console`.
enum SessionCookie {
    static let name = "relay_console"

    /// The `Set-Cookie` value for a new session.
    static func set(_ id: String, maxAge: Duration, secure: Bool) -> String {
        "\(name)=\(id); Path=/console; HttpOnly; SameSite=Strict; Max-Age=\(maxAge.components.seconds)" + (secure ? "; Secure" : "")
    }

    /// The `Set-Cookie` value that removes it.
    static func clear(secure: Bool) -> String {
        "\(name)=; Path=/console; HttpOnly; SameSite=Strict; Max-Age=0" + (secure ? "; Secure" : "")
    }

    /// The session id the request carries, if any.
    static func value(in request: HTTPRequest) -> String? {
        for header in request.headers.values(for: "Cookie") {
            for pair in header.split(separator: ";") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                guard parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces) == name else { continue }
                let value = parts[1].trimmingCharacters(in: .whitespaces)
                if value.count == 64 { return value }
            }
        }
        return nil
    }
}
