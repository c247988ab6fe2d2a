import Foundation
import OutboundHTTP
import Synchronization

/// Authenticated calls to one Preservica server: the token header, a bound on requests in flight,
/// one new login after a 401, retries with jittered backoff for network errors, timeouts and 5xx
/// (not sooner than a 429's or 503's `Retry-After`, which holds back every call on the connection),
/// and a deadline on every call.
public final class PreservicaConnection: Sendable {
    /// The server's base URL, e.g. `https://eu.preservica.com`.
    public let baseURL: URL
    /// The token session.
    public let session: AccessTokenSession
    private let client: OutboundClient
    private let limiter: ConcurrencyLimiter
    private let retries: Int
    private let timeout: Duration
    private let requests = Atomic<Int>(0)
    private let pause: RetryAfterPause

    /// HTTP requests sent so far (retries and repeats after a 401 included; logins not).
    public var requestCount: Int { requests.load(ordering: .relaxed) }

    /// What is left of the wait the server last asked for with `Retry-After` (on a 429 or 503),
    /// during which no call on this connection is sent; nil when there is none.
    public var retryAfterLeft: Duration? { pause.remaining()?.left }

    /// Connects (lazily) with `credentials`; a reply body over `maxResponseBytes` is refused. The
    /// session's token times and its waits after a refused login (``AccessTokenSession``) are read
    /// from `now` (tests move a clock of their own).
    public init(credentials: PreservicaCredentials, maxConcurrentRequests: Int = 8, timeout: Duration = .seconds(30),
                retries: Int = 3, maxResponseBytes: Int = 16 << 20,
                now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }) throws(PreservicaError) {
        guard let baseURL = credentials.baseURL else {
            throw .invalidResponse("the server \"\(credentials.server)\" is neither a host name nor an http(s) URL")
        }
        self.baseURL = baseURL
        let client = OutboundClient(maxConnectionsPerHost: maxConcurrentRequests, maxResponseBytes: maxResponseBytes)
        self.client = client
        self.limiter = ConcurrencyLimiter(limit: maxConcurrentRequests)
        self.retries = max(0, retries)
        self.timeout = timeout
        let pause = RetryAfterPause()
        self.pause = pause
        self.session = AccessTokenSession(credentials: credentials, baseURL: baseURL, client: client, timeout: timeout, pause: pause,
                                          now: now)
    }

    /// The URL for a path under the API, e.g. `api/entity/information-objects/<ref>`. Callers
    /// check references first (``EntityClient/isReference(_:)``); a path that still makes no URL
    /// goes to a path that does not exist rather than to the server's root.
    public func url(_ path: String) -> URL {
        URL(string: baseURL.absoluteString + "/" + path) ?? baseURL.appendingPathComponent("api/invalid-path")
    }

    /// A URL found in a response, kept on this server: its path and query are applied to ``baseURL``,
    /// so the token never goes to a host the relay was not configured with.
    public func follow(_ link: String) -> URL? {
        guard let found = URLComponents(string: link), !found.path.isEmpty else { return nil }
        var target = URLComponents(url: baseURL, resolvingAgainstBaseURL: false)
        target?.path = found.path
        target?.percentEncodedQuery = found.percentEncodedQuery
        return target?.url
    }

    /// GET with retries; 404 throws ``PreservicaError/notFound(_:)`` naming `what`. A cancelled
    /// task (the pipeline stopping or reloading) stops waiting at once: a read can be asked again.
    public func get(_ url: URL, what: String) async throws(PreservicaError) -> [UInt8] {
        try await call(OutboundRequest(method: "GET", url: url, timeout: timeout, endsWhenCancelled: true), what: what, retry: true).body
    }

    /// Any authenticated call; returns the reply for 2xx, throws otherwise.
    /// `retry` is false for calls that must not be repeated (they change something).
    public func call(_ request: OutboundRequest, what: String, retry: Bool) async throws(PreservicaError) -> OutboundReply {
        var attempt = 0
        var loggedInAgain = false
        while true {
            // A login or refresh is a call too: not sent while the server asked to wait.
            if let refused = await waitOutPause(what) { throw refused }
            let token: String
            do throws(PreservicaError) {
                token = try await session.token()
            } catch {
                // A login or refresh the gateway failed (502 while Preservica restarts) is retried
                // as the call itself would be; a refused one is not.
                guard retry, error.isTransient, attempt < retries, !Task.isCancelled else { throw error }
                attempt += 1
                try await backoff(attempt)
                continue
            }
            var authorised = request
            authorised.headers["Preservica-Access-Token"] = token
            if authorised.headers["Accept"] == nil { authorised.headers["Accept"] = "application/xml, application/json" }
            let prepared = authorised
            let turn: Result<Result<OutboundReply, OutboundError>, PreservicaError> = await limiter.run { [self] in
                // Not sent, so not an answer: the pause stays as the server set it, and the
                // caller's own retry (a held event is asked again later) takes it from here.
                if let refused = await waitOutPause(what) { return .failure(refused) }
                self.requests.add(1, ordering: .relaxed)
                do throws(OutboundError) { return .success(.success(try await client.send(prepared))) } catch { return .success(.failure(error)) }
            }
            let outcome = try turn.get()
            let failure: PreservicaError
            var asked: Duration?
            switch outcome {
            case .success(let reply) where (200..<300).contains(reply.status):
                return reply
            case .success(let reply) where reply.status == 401 || reply.status == 403:
                if !loggedInAgain {
                    // An expired or revoked token: log in once more and repeat the call.
                    loggedInAgain = true
                    await session.invalidate(token)
                    continue
                }
                throw .forbidden("\(what) (HTTP \(reply.status))")
            case .success(let reply) where reply.status == 404:
                throw .notFound(what)
            case .success(let reply):
                failure = .http(status: reply.status, what)
                // A server or gateway that says when to come back (429, 503) is not asked sooner.
                asked = pause.record(reply)
            case .failure(let error):
                failure = .from(error)
            }
            guard retry, failure.isTransient, attempt < retries, !Task.isCancelled else { throw failure }
            // Longer than a call may wait: left to the caller's own retry (a held event is asked again later).
            if let asked, asked > Self.longestAskedWait { throw failure }
            attempt += 1
            try await backoff(attempt, atLeast: asked ?? .zero)
        }
    }

    /// Asked to wait (by this call's last answer, another's or a login's): returns nil once the
    /// wait is over, looking again after each sleep, since an answer meanwhile can make it
    /// longer; or the error for `what`, unsent, when the wait is longer than a call waits (as the
    /// server answered: transient, so the event is held) or the task is cancelled.
    private func waitOutPause(_ what: String) async -> PreservicaError? {
        while let paused = pause.remaining() {
            guard paused.left <= Self.longestAskedWait else { return .http(status: paused.status, what) }
            guard (try? await Task.sleep(for: paused.left)) != nil else { return .unreachable("cancelled while Preservica asked to wait") }
        }
        return nil
    }

    /// The longest `Retry-After` a call waits out itself.
    static let longestAskedWait: Duration = .seconds(30)

    /// Full-jitter exponential backoff: a random wait up to 250 ms × 2^attempt, at most 8 s, and
    /// never less than `floor` (what the server asked for).
    private func backoff(_ attempt: Int, atLeast floor: Duration = .zero) async throws(PreservicaError) {
        let ceiling = min(8_000, 250 * (1 << min(attempt, 10)))
        do {
            try await Task.sleep(for: max(floor, .milliseconds(Int.random(in: 0...ceiling))))
        } catch {
            throw .unreachable("cancelled while waiting to retry")
        }
    }
}
