import Foundation
import HTTPServer

/// One page of a paged Entity API list, from the `start` and `max` query parameters.
struct Page {
    /// The slice of the full list to show.
    let range: Range<Int>
    /// The absolute URL of the next page; nil on the last page.
    let next: String?

    init(request: HTTPRequest, count: Int, path: String, defaultMax: Int = 100) {
        let start = max(0, request.queryParameter("start").flatMap { Int($0) } ?? 0)
        let size = min(1000, max(1, request.queryParameter("max").flatMap { Int($0) } ?? defaultMax))
        let lower = min(start, count)
        range = lower..<min(count, lower + size)
        let separator = path.contains("?") ? "&" : "?"
        next = range.upperBound < count ? "\(path)\(separator)start=\(range.upperBound)&max=\(size)" : nil
    }

    /// `text` escaped for a query value (`+` and `:` in ISO dates must survive).
    static func escape(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
