import Foundation

/// Discord's API version in a webhook URL. The URL Discord hands out, `/api/webhooks/{id}/{token}`,
/// names none, and Discord serves unversioned routes as its default version, v6. Before v8,
/// `retry_after` and `Retry-After` were milliseconds; from v8 they are seconds (the v8 change
/// log; discord-api-docs #2360, #4722). The relay therefore posts to ``current``.
enum DiscordAPIVersion {
    /// The version the relay posts to.
    static let current = 10
    /// The version Discord serves on unversioned routes.
    static let unversioned = 6

    /// The version `url`'s path names (`/api/v10/webhooks/…` → 10), or ``unversioned``.
    static func version(of url: URL) -> Int {
        let parts = url.path.split(separator: "/")
        guard parts.count > 1, parts[0] == "api", parts[1].hasPrefix("v"), let number = Int(parts[1].dropFirst()) else {
            return unversioned
        }
        return number
    }

    /// Whether replies on `url`'s route give waits in milliseconds.
    static func waitsInMilliseconds(_ url: URL) -> Bool { version(of: url) < 8 }

    /// `url` on a route of version 8 or later: `/api/webhooks/…` and `/api/v6/webhooks/…` become
    /// `/api/v10/webhooks/…`; the query (`wait`, `thread_id`) is kept. Other URLs are left alone.
    static func versioned(_ url: URL) -> URL {
        guard waitsInMilliseconds(url), var components = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return url }
        var parts = components.percentEncodedPath.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        // ["", "api", ("v6",)? "webhooks", id, token…]
        guard parts.count > 2, parts[1] == "api" else { return url }
        if parts[2] == "webhooks" {
            parts.insert("v\(current)", at: 2)
        } else if parts[2].hasPrefix("v"), parts.count > 3, parts[3] == "webhooks" {
            parts[2] = "v\(current)"
        } else {
            return url
        }
        components.percentEncodedPath = parts.joined(separator: "/")
        return components.url ?? url
    }
}
