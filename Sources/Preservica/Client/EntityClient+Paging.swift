import Foundation

extension EntityClient {
    /// Reads a paged list from `first`: each page goes to `take`, which returns how many items it
    /// listed, then the page's `Next` is followed (kept on the configured server). The walk ends
    /// at the last page, at `maxPages`, once `enough` holds, and, against a broken or hostile
    /// server, at a page that lists nothing or a `Next` back to a page already read.
    func walkPages(from first: URL, what: String, maxPages: Int, enough: () -> Bool = { false },
                   _ take: (XMLNode) -> Int) async throws(PreservicaError) {
        var next = first
        var seen: Set<URL> = [first]
        for _ in 0..<maxPages where !enough() {
            let root = try await document(next, what: what)
            guard take(root) > 0, let link = root.text(of: "Next"), let url = connection.follow(link), seen.insert(url).inserted else { return }
            next = url
        }
    }
}
