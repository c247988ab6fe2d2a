import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The one way the relay calls out over HTTP: a long-lived URLSession with the sharp edges of
/// URLSession on Linux filed off.
///
/// - Redirects are refused (a session-level delegate; per-task delegates are ignored on Linux),
///   so a token or a chat key is never forwarded to another host.
/// - `timeoutInterval` is whole seconds, at least 1 (sub-second values fire at once on Linux);
///   on top of it every call races its own deadline and is cancelled past it, which also ends the
///   hang on a `401` carrying `WWW-Authenticate: Basic`.
/// - Content-Type is always set when there is a body.
public final class OutboundClient: Sendable {
    private let session: URLSession

    /// A client allowing up to `maxConnectionsPerHost` connections to one host.
    public init(maxConnectionsPerHost: Int = 8) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = max(1, maxConnectionsPerHost)
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        session = URLSession(configuration: configuration, delegate: RedirectRefusal(), delegateQueue: nil)
    }

    deinit { session.finishTasksAndInvalidate() }

    /// Sends `request` and returns the reply, or throws ``OutboundError`` (never with the URL's
    /// query or any header value in its message).
    public func send(_ request: OutboundRequest) async throws(OutboundError) -> OutboundReply {
        var urlRequest = URLRequest(url: request.url)
        urlRequest.httpMethod = request.method
        urlRequest.timeoutInterval = max(1, (Double(request.timeout.components.seconds) + 0.999).rounded(.down))
        for (name, value) in request.headers { urlRequest.setValue(value, forHTTPHeaderField: name) }
        if let body = request.body {
            if urlRequest.value(forHTTPHeaderField: "Content-Type") == nil {
                urlRequest.setValue("application/octet-stream", forHTTPHeaderField: "Content-Type")
            }
            if request.chunked {
                urlRequest.httpBodyStream = InputStream(data: Data(body))
            } else {
                urlRequest.httpBody = Data(body)
            }
        }
        let host = request.url.host ?? "?"
        let session = self.session
        let prepared = urlRequest
        let deadline = request.timeout
        // The URLSession call runs in a task that is never cancelled: on Swift 6.3 Linux, cancelling a
        // data task while it completes can deadlock inside Foundation. A separate
        // timer answers at the deadline instead; a call still running then is left to finish alone.
        let outcome: Result<OutboundReply, OutboundError> = await withCheckedContinuation { continuation in
            let answer = FirstAnswer(continuation)
            let timer = Task {
                try? await Task.sleep(for: deadline)
                if !Task.isCancelled {
                    answer.give(.failure(OutboundError(kind: .timeout, host: host, detail: "no answer within \(deadline)")))
                }
            }
            Task.detached {
                let result: Result<OutboundReply, OutboundError>
                do {
                    let (data, response) = try await session.data(for: prepared)
                    if let http = response as? HTTPURLResponse {
                        var headers: [String: String] = [:]
                        for (name, value) in http.allHeaderFields {
                            if let name = name as? String, let value = value as? String { headers[name.lowercased()] = value }
                        }
                        result = .success(OutboundReply(status: http.statusCode, headers: headers, body: [UInt8](data)))
                    } else {
                        result = .failure(OutboundError(kind: .network, host: host, detail: "not an HTTP response"))
                    }
                } catch {
                    let code = (error as NSError).code
                    let kind: OutboundError.Kind = code == NSURLErrorTimedOut ? .timeout : .network
                    result = .failure(OutboundError(kind: kind, host: host, detail: "error \(code)"))
                }
                answer.give(result)
                timer.cancel()
            }
        }
        return try outcome.get()
    }
}

/// Resumes a continuation with the first answer given; later answers are ignored.
private final class FirstAnswer: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<Result<OutboundReply, OutboundError>, Never>?

    init(_ continuation: CheckedContinuation<Result<OutboundReply, OutboundError>, Never>) {
        self.continuation = continuation
    }

    func give(_ result: Result<OutboundReply, OutboundError>) {
        lock.lock()
        let pending = continuation
        continuation = nil
        lock.unlock()
        pending?.resume(returning: result)
    }
}

/// Refuses every redirect, so credentials never follow one to another host.
final class RedirectRefusal: NSObject, URLSessionTaskDelegate, Sendable {
    func urlSession(_ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
                    newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void) {
        completionHandler(nil)
    }
}
