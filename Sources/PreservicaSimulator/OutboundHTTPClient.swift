import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The simulator's one HTTP client (challenges and notifications): a long-lived ephemeral session
/// that never follows redirects, as Preservica would not send a signed body elsewhere.
final class OutboundHTTPClient: Sendable {
    /// The reply to a POST.
    struct Reply: Sendable {
        var status: Int
        var body: [UInt8]
    }

    /// A URL that is not an absolute http(s) URL, or a reply that is not HTTP.
    struct ClientError: Error, CustomStringConvertible {
        var description: String
    }

    static let shared = OutboundHTTPClient()

    private let session: URLSession

    private init() {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 10
        configuration.httpShouldSetCookies = false
        session = URLSession(configuration: configuration, delegate: RedirectRefusal(), delegateQueue: nil)
    }

    /// POSTs `body` as JSON. With `chunked` the body goes as a stream, which makes the transport send
    /// `Transfer-Encoding: chunked` with no Content-Length.
    func post(_ url: URL, body: [UInt8], headers: [(String, String)], chunked: Bool, timeoutSeconds: Int = 10) async throws -> Reply {
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.timeoutInterval = TimeInterval(max(1, timeoutSeconds))
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if chunked {
            request.httpBodyStream = InputStream(data: Data(body))
        } else {
            request.httpBody = Data(body)
        }
        let (data, response) = try await session.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw ClientError(description: "not an HTTP response") }
        return Reply(status: http.statusCode, body: Array(data))
    }

    /// `text` as an absolute http or https URL with a host, else nil.
    static func httpURL(_ text: String) -> URL? {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty else { return nil }
        return url
    }
}

/// Refuses every redirect (a session-level delegate: per-task delegates are ignored on Linux).
final class RedirectRefusal: NSObject, URLSessionTaskDelegate, Sendable {
    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
        completionHandler(nil)
    }
}
