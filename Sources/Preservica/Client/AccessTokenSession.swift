import Foundation
import Hashing
import OutboundHTTP
import JSON
import Synchronization

/// Preservica's access-token session (`/api/accesstoken/login` and `/refresh`).
///
/// Concurrent callers share one login. The token is refreshed before `validFor` runs out; a
/// refresh that fails falls back to a new login. After a 401 the caller calls ``invalidate(_:)``
/// and asks again, which logs in once for everyone waiting.
///
/// A login Preservica refuses (a wrong or expired password, two-factor required) is not tried
/// again for every call, which could lock the account: for ``firstRefusedLoginWait`` every call
/// fails at once with the same error, then one login is tried, and each refusal after that waits
/// twice as long, at most ``longestRefusedLoginWait``. A login that succeeds ends it. The wait is
/// kept per account for the process's life, so a reload (a console edit makes one) that builds a
/// new session with the same credentials does not log in again; new credentials log in at once.
public actor AccessTokenSession {
    /// How long no login is tried after the first refusal.
    public static let firstRefusedLoginWait: Duration = .seconds(120)
    /// The longest wait between refused logins.
    public static let longestRefusedLoginWait: Duration = .seconds(900)

    private struct Token {
        var value: String
        var refresh: String?
        var expiresAt: ContinuousClock.Instant
        var lifetime: Duration
        /// The tenant a login's answer named (`includeUserDetails`); a refresh names none.
        var tenant: String?
    }

    private let credentials: PreservicaCredentials
    private let baseURL: URL
    private let client: OutboundClient
    private let timeout: Duration
    /// Where a login or refresh answered 429 or 503 with `Retry-After` is recorded, so the
    /// connection's calls wait for it too.
    private let pause: RetryAfterPause?
    private var current: Token?
    private var pending: Task<Result<Token, PreservicaError>, Never>?

    /// Number of new tokens taken, by login or by refresh; useful to operators and tests.
    public private(set) var loginCount = 0
    /// The tenant of this session's account, as its login's answer named it; nil until then.
    public private(set) var tenant: String?
    /// When a login made to learn ``tenant`` last failed (or named none).
    private var tenantLoginFailedAt: ContinuousClock.Instant?
    private let now: @Sendable () -> ContinuousClock.Instant
    /// A refused login: when, how long no other is tried, and the error every call gets meanwhile.
    struct Refusal: Sendable {
        var at: ContinuousClock.Instant
        var wait: Duration
        var error: PreservicaError
    }

    /// The last refused login of each account (server, tenant, user name and a digest of the
    /// password), shared by every session of the process.
    private static let refusals = Mutex<[String: Refusal]>([:])
    /// This session's account, as ``refusals`` names it.
    private let account: String
    private var refused: Refusal? {
        get { Self.refusals.withLock { $0[account] } }
        set { Self.refusals.withLock { $0[account] = newValue } }
    }

    /// Creates a session; nothing is sent until a token is needed.
    public init(credentials: PreservicaCredentials, baseURL: URL, client: OutboundClient, timeout: Duration) {
        self.init(credentials: credentials, baseURL: baseURL, client: client, timeout: timeout, pause: nil)
    }

    /// A session whose logins and refreshes record a `Retry-After` in `pause`.
    /// `now` is the clock the session reads (tests move one of their own).
    init(credentials: PreservicaCredentials, baseURL: URL, client: OutboundClient, timeout: Duration, pause: RetryAfterPause?,
         now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }) {
        self.now = now
        account = [credentials.server, credentials.tenant ?? "", credentials.username,
                   Hex.encode(SHA256.hash(Array(credentials.password.utf8)))].joined(separator: "\u{1F}")
        self.credentials = credentials
        self.baseURL = baseURL
        self.client = client
        self.timeout = timeout
        self.pause = pause
    }

    /// The tenant of this session's account: the one the credentials name, else the one
    /// Preservica named at login (logging in for it when it has not yet); nil when neither is
    /// known. A login made for it that failed, or a `Retry-After` in force, keeps it from logging
    /// in again for a minute: whoever asks (a sign-in page) cannot make the relay's account log in
    /// at will.
    public func accountTenant() async -> String? {
        if let named = credentials.tenant, !named.isEmpty { return named }
        if let tenant { return tenant }
        if pause?.remaining() != nil { return nil }
        if let failed = tenantLoginFailedAt, now() - failed < .seconds(60) { return nil }
        if (try? await token()) == nil || tenant == nil { tenantLoginFailedAt = now() }
        return tenant
    }

    /// A token valid now: the current one, a refreshed one when it is about to expire, or a new login.
    public func token() async throws(PreservicaError) -> String {
        if let current, now() < current.expiresAt - margin(current.lifetime) {
            return current.value
        }
        if let pending {
            let result = await pending.value
            if case .failure = result, let valid = stillValid { return valid }
            return try result.get().value
        }
        if let refused, now() - refused.at < refused.wait {
            if let valid = stillValid { return valid }
            throw refused.error
        }
        let previous = current
        let task = Task { [credentials, baseURL, client, timeout, pause, now] () -> Result<Token, PreservicaError> in
            if let previous, let refresh = previous.refresh, now() < previous.expiresAt {
                if case .success(let token) = await Self.exchange(
                    path: "api/accesstoken/refresh", form: [("refreshToken", refresh)], token: previous.value,
                    baseURL: baseURL, client: client, timeout: timeout, pause: pause, now: now) {
                    return .success(token)
                }
            }
            var form = [("username", credentials.username), ("password", credentials.password)]
            if let tenant = credentials.tenant { form.append(("tenant", tenant)) }
            form.append(("includeUserDetails", "true"))
            return await Self.exchange(path: "api/accesstoken/login", form: form, token: nil,
                                       baseURL: baseURL, client: client, timeout: timeout, pause: pause, now: now)
        }
        pending = task
        let result = await task.value
        pending = nil
        switch result {
        case .failure(let error) where error.isLoginRefusal:
            let wait = refused.map { min($0.wait * 2, Self.longestRefusedLoginWait) } ?? Self.firstRefusedLoginWait
            refused = Refusal(at: now(), wait: wait, error: error)
        case .success:
            refused = nil
        case .failure:
            break
        }
        if case .failure = result, let valid = stillValid { return valid }
        let token = try result.get()
        if previous == nil || previous?.value != token.value { loginCount += 1 }
        current = token
        if let named = token.tenant { tenant = named }
        return token.value
    }

    /// The current token while it has not expired: a refresh and login that failed in its last
    /// minute, or a refused login's wait, leave it usable to its end.
    private var stillValid: String? {
        guard let current, now() < current.expiresAt else { return nil }
        return current.value
    }

    /// Forgets `token` after Preservica answered 401 to it, so the next ``token()`` logs in again.
    public func invalidate(_ token: String) {
        if current?.value == token { current = nil }
    }

    /// Refresh when less than a fifth of the lifetime (at most a minute) is left.
    private func margin(_ lifetime: Duration) -> Duration { min(lifetime / 5, .seconds(60)) }

    private static func exchange(path: String, form: [(String, String)], token: String?, baseURL: URL,
                                 client: OutboundClient, timeout: Duration, pause: RetryAfterPause?,
                                 now: @Sendable () -> ContinuousClock.Instant) async -> Result<Token, PreservicaError> {
        var headers = ["Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"]
        if let token { headers["Preservica-Access-Token"] = token }
        let body = form.map { "\(formEncode($0.0))=\(formEncode($0.1))" }.joined(separator: "&")
        let request = OutboundRequest(method: "POST", url: baseURL.appendingPathComponent(path), headers: headers,
                                      body: Array(body.utf8), timeout: timeout)
        let reply: OutboundReply
        do {
            reply = try await client.send(request)
        } catch {
            return .failure(.from(error))
        }
        let json = (try? JSONParser.parse(reply.body))?.objectValue
        let message = json?["message"]?.stringValue
        if message == "needs.2fa" || message == "needs.2fa.setup" { return .failure(.twoFactorRequired) }
        guard reply.status == 200, let json, let value = json["token"]?.stringValue, !value.isEmpty else {
            // A refusal of the credentials; a 429 or 5xx that says `"success": false` is not one.
            if reply.status == 401 || reply.status == 403 || (json?["success"] == .bool(false) && reply.status < 500 && reply.status != 429) {
                return .failure(.loginRefused(message ?? "check the user name, password and tenant"))
            }
            _ = pause?.record(reply)
            return .failure(.http(status: reply.status, "at \(path)"))
        }
        // Minutes, as Preservica says, within a day: an absurd value must not overflow the Duration.
        let minutes = json["validFor"]?.numberValue.flatMap { $0.isNaN ? nil : $0 } ?? 15
        let lifetime = Duration.seconds(min(max(1, minutes), 1_440) * 60)
        return .success(Token(value: value, refresh: json["refresh-token"]?.stringValue,
                              expiresAt: now() + lifetime, lifetime: lifetime,
                              tenant: json["tenant"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }))
    }

    private static func formEncode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._*")
        return (text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text).replacingOccurrences(of: "%20", with: "+")
    }
}
