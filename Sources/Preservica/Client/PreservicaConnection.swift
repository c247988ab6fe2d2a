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

    /// Connects (lazily) with `credentials`; a reply body over `maxResponseBytes` is refused.
    public init(credentials: PreservicaCredentials, maxConcurrentRequests: Int = 8, timeout: Duration = .seconds(30),
                retries: Int = 3, maxResponseBytes: Int = 16 << 20) throws(PreservicaError) {
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
        self.session = AccessTokenSession(credentials: credentials, baseURL: baseURL, client: client, timeout: timeout, pause: pause)
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
            switch await waitOutPause() {
            case .held(let status)?: throw .http(status: status, what)
            case .cancelled?: throw .unreachable("cancelled while Preservica asked to wait")
            case .answered?, nil: break
            }
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
            let turn: Turn = await limiter.run { [self] () async -> Turn in
                if let refused = await waitOutPause() { return refused }
                self.requests.add(1, ordering: .relaxed)
                do throws(OutboundError) { return .answered(.success(try await client.send(prepared))) } catch { return .answered(.failure(error)) }
            }
            let outcome: Result<OutboundReply, OutboundError>
            switch turn {
            case .answered(let result): outcome = result
            // Not sent, so not an answer: the pause stays as the server set it, and the caller's
            // own retry (a held event is asked again later) takes it from here.
            case .held(let status): throw .http(status: status, what)
            case .cancelled: throw .unreachable("cancelled while Preservica asked to wait")
            }
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
                if reply.status == 429 || reply.status == 503, let wait = RetryAfter.parse(reply.headers["retry-after"]) {
                    asked = wait
                    pause.ask(wait, status: reply.status)
                }
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

    /// Asked to wait (by this call's last answer, another's or a login's): returns once the wait
    /// is over, looking again after each sleep, since an answer meanwhile can make it longer; or
    /// says why the call is not sent (a wait longer than a call waits, or a cancel).
    private func waitOutPause() async -> Turn? {
        while let paused = pause.remaining() {
            guard paused.left <= Self.longestAskedWait else { return .held(status: paused.status) }
            guard (try? await Task.sleep(for: paused.left)) != nil else { return .cancelled }
        }
        return nil
    }

    /// What became of a call at its turn for a slot.
    private enum Turn: Sendable {
        /// Sent, and answered or failed.
        case answered(Result<OutboundReply, OutboundError>)
        /// Not sent: the server asked to wait longer than a call waits.
        case held(status: Int)
        /// Not sent: cancelled while it waited out the server's pause.
        case cancelled
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
