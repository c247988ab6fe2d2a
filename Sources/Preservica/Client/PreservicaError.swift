import OutboundHTTP

/// Why a call to Preservica failed. Messages never contain a password, a token or a secret.
public enum PreservicaError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Login refused: wrong user name, password or tenant.
    case loginRefused(String)
    /// The account has two-factor authentication, which a service cannot answer.
    case twoFactorRequired
    /// The user lacks the role an operation needs (401/403 after a fresh login).
    case forbidden(String)
    /// The entity does not exist (404).
    case notFound(String)
    /// Preservica answered with an unexpected status.
    case http(status: Int, String)
    /// No answer: network error or timeout, after the configured retries.
    case unreachable(String)
    /// The answer could not be read.
    case invalidResponse(String)

    public var description: String {
        switch self {
        case .loginRefused(let reason): "Preservica refused the login: \(reason)"
        case .twoFactorRequired:
            "this Preservica account uses two-factor authentication; use a service account without 2FA for the relay"
        case .forbidden(let what): "Preservica refused access: \(what)"
        case .notFound(let what): "not found in Preservica: \(what)"
        case .http(let status, let what): "Preservica answered \(status): \(what)"
        case .unreachable(let what): "cannot reach Preservica: \(what)"
        case .invalidResponse(let what): "unexpected answer from Preservica: \(what)"
        }
    }

    /// Worth trying again later (network trouble or a server error), as opposed to a definite answer.
    public var isTransient: Bool {
        switch self {
        case .unreachable: true
        case .http(let status, _): status >= 500 || status == 429 || status == 408
        default: false
        }
    }

    /// Preservica refused the login itself (credentials, or two-factor required): trying again
    /// at once would only count another failed login against the account.
    public var isLoginRefusal: Bool {
        switch self {
        case .loginRefused, .twoFactorRequired: true
        default: false
        }
    }

    /// Preservica could not be reached or would not answer (network trouble, a server error, a
    /// refused login or a 401/403 after logging in again): the answer may well be different later.
    /// Only a 404 says that an entity does not exist, and a reply that cannot be read will not
    /// read better next time.
    public var meansUnavailable: Bool {
        switch self {
        case .unreachable, .forbidden, .loginRefused, .twoFactorRequired: true
        case .http: isTransient
        case .notFound, .invalidResponse: false
        }
    }

    static func from(_ error: OutboundError) -> PreservicaError {
        // An oversized reply would be as large next time: not worth a retry.
        error.kind == .tooLarge ? .invalidResponse(error.description) : .unreachable(error.description)
    }
}
