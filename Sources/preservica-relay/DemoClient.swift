import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The demo's HTTP client: one URLSession that never follows redirects.
final class DemoClient: Sendable {
    struct Reply {
        var status: Int
        var text: String
        var json: [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
        }
    }

    struct ClientError: Error, CustomStringConvertible {
        var description: String
    }

    private let session: URLSession

    init() {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = 10
        session = URLSession(configuration: configuration, delegate: NoRedirects(), delegateQueue: nil)
    }

    /// POSTs `body`; with `chunked`, the body goes as a stream so it is sent with Transfer-Encoding: chunked.
    func post(_ url: String, body: [UInt8], headers: [String: String], chunked: Bool) async throws -> Reply {
        guard let address = URL(string: url) else { throw ClientError(description: "bad URL") }
        var request = URLRequest(url: address)
        request.httpMethod = "POST"
        request.timeoutInterval = 10
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if chunked {
            request.httpBodyStream = InputStream(data: Data(body))
        } else {
            request.httpBody = Data(body)
        }
        let (data, response) = try await session.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw ClientError(description: "not an HTTP response") }
        return Reply(status: http.statusCode, text: String(decoding: data, as: UTF8.self))
    }
}

/// Refuses every redirect (a session-level delegate: per-task delegates are ignored on Linux).
final class NoRedirects: NSObject, URLSessionTaskDelegate, Sendable {
    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
        completionHandler(nil)
    }
}
