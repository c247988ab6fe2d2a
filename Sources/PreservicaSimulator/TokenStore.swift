/// Access and refresh tokens with their expiry times.
struct TokenStore: Sendable {
    /// A fresh access/refresh pair.
    struct Pair: Sendable {
        var access: String
        var refresh: String
    }

    private var access: [String: ContinuousClock.Instant] = [:]
    /// Whose each access token is (the user name), for `GET /api/user/details`.
    private var owners: [String: String] = [:]
    private var refresh: [String: ContinuousClock.Instant] = [:]

    /// Issues a new pair that lives for `lifetime`.
    mutating func issue(lifetime: Duration, user: String = "") -> Pair {
        let expiry = ContinuousClock.now + lifetime
        let pair = Pair(access: RandomIdentifier.uuid(), refresh: RandomIdentifier.uuid())
        access[pair.access] = expiry
        owners[pair.access] = user
        owners[pair.refresh] = user
        refresh[pair.refresh] = expiry
        return pair
    }

    /// Whether `token` is a live access token.
    func isLive(_ token: String) -> Bool {
        guard let expiry = access[token] else { return false }
        return ContinuousClock.now < expiry
    }

    /// The user an access or refresh token was issued to.
    func owner(of token: String) -> String? { owners[token] }

    /// Spends a refresh token: true once for a live token, false afterwards ("can only be used once").
    mutating func redeem(refreshToken: String) -> Bool {
        guard let expiry = refresh.removeValue(forKey: refreshToken) else { return false }
        return ContinuousClock.now < expiry
    }

    /// Forgets every token, as if all had expired.
    mutating func expireAll() {
        access.removeAll()
        refresh.removeAll()
        owners.removeAll()
    }
}
