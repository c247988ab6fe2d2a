import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The one way the relay calls out over HTTP: a long-lived URLSession with the sharp edges of
/// URLSession on Linux filed off.
///
/// - Redirects are refused (a session-level delegate; per-task delegates are ignored on Linux),
///   so a token or a chat key is never forwarded to another host.
/// - A reply body is read up to `maxResponseBytes` and refused beyond it, never buffered whole:
///   a hostile or broken server cannot make the relay hold an endless reply in memory.
/// - `timeoutInterval` is whole seconds, at least 1 (sub-second values fire at once on Linux);
///   on top of it every call races its own deadline and is answered past it, which also ends the
///   hang on a `401` carrying `WWW-Authenticate: Basic`.
/// - Content-Type is always set when there is a body.
public final class OutboundClient: Sendable {
    private let session: URLSession
    private let collector: ResponseCollector
    private let maxResponseBytes: Int

    /// A client allowing up to `maxConnectionsPerHost` connections to one host and reading at
    /// most `maxResponseBytes` of any reply body.
    public init(maxConnectionsPerHost: Int = 8, maxResponseBytes: Int = 16 << 20) {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = max(1, maxConnectionsPerHost)
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.urlCache = nil
        configuration.httpCookieStorage = nil
        collector = ResponseCollector()
        session = URLSession(configuration: configuration, delegate: collector, delegateQueue: nil)
        self.maxResponseBytes = max(0, maxResponseBytes)
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
        let deadline = request.timeout
        // The task is never cancelled from here: on Swift 6.3 Linux, cancelling a data task from a
        // Swift task while it completes can deadlock inside Foundation. A separate timer answers at
        // the deadline instead; a call still running then is left to finish alone. (The collector
        // does cancel a reply over the size limit, from the delegate queue, where that is safe.)
        let answer = FirstAnswer()
        let outcome: Result<OutboundReply, OutboundError> = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                answer.wait(continuation)
                // Cancelled before it began (waiting for a slot, say): nothing is sent at all.
                guard !answer.isAnswered else { return }
                let timer = Task {
                    try? await Task.sleep(for: deadline)
                    if !Task.isCancelled {
                        answer.give(.failure(OutboundError(kind: .timeout, host: host, detail: "no answer within \(deadline)")))
                    }
                }
                let task = session.dataTask(with: urlRequest)
                collector.track(task, host: host, limit: maxResponseBytes) { result in
                    answer.give(result)
                    timer.cancel()
                }
                task.resume()
            }
        } onCancel: {
            if request.endsWhenCancelled { answer.give(.failure(OutboundError(kind: .cancelled, host: host, detail: "stopped waiting"))) }
        }
        return try outcome.get()
    }
}

/// Resumes a continuation with the first answer given; later answers are ignored. An answer
/// given before the continuation waits (a cancellation that came first) is kept for it.
private final class FirstAnswer: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<Result<OutboundReply, OutboundError>, Never>?
    private var early: Result<OutboundReply, OutboundError>?
    private var answered = false

    /// Whether an answer was given already.
    var isAnswered: Bool {
        lock.lock()
        defer { lock.unlock() }
        return answered
    }

    func wait(_ continuation: CheckedContinuation<Result<OutboundReply, OutboundError>, Never>) {
        lock.lock()
        let result = early
        if result == nil { self.continuation = continuation }
        lock.unlock()
        if let result { continuation.resume(returning: result) }
    }

    func give(_ result: Result<OutboundReply, OutboundError>) {
        lock.lock()
        guard !answered else {
            lock.unlock()
            return
        }
        answered = true
        let pending = continuation
        continuation = nil
        if pending == nil { early = result }
        lock.unlock()
        pending?.resume(returning: result)
    }
}
