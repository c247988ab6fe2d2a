/// Everything a simulator is started with.
public struct SimulatorConfiguration: Sendable {
    /// Host to bind.
    public var host: String
    /// Port to bind; 0 picks a free one.
    public var port: Int
    /// The Preservica version to claim, `major.minor` (e.g. `6.10`, `7.7`, `8.1`); it sets the XML namespaces.
    public var version: String
    /// The one user that can log in.
    public var username: String
    /// That user's password.
    public var password: String
    /// The tenant short name, echoed in logins and notifications.
    public var tenant: String
    /// How long an access token (and its refresh token) lives. The login JSON reports it in whole
    /// minutes (`validFor`), as Preservica does, but tokens really expire after this duration so
    /// tests can use seconds.
    public var tokenLifetime: Duration
    /// The user's roles, as `GET /api/user/details` reports them.
    public var roles: [String]
    /// Other people who can sign in (the curators' console), each with their own password and roles.
    public var users: [SimulatedUser]
    /// What the Entity API serves.
    public var repository: SimulatorRepository
    /// Faults to inject from the start.
    public var faults: SimulatorFaults
    /// Whether notifications go out with `Transfer-Encoding: chunked` (as Preservica's are believed
    /// to) rather than `Content-Length`.
    public var chunkedNotifications: Bool

    /// Creates a configuration; the password defaults to a fresh random one.
    public init(host: String = "127.0.0.1", port: Int = 0, version: String = "7.7", username: String = "admin",
                password: String = SimulatorConfiguration.randomPassword(), tenant: String = "DEMO",
                tokenLifetime: Duration = .seconds(15 * 60), roles: [String] = ["ROLE_SDB_MANAGER_USER"],
                users: [SimulatedUser] = SimulatedUser.defaults(),
                repository: SimulatorRepository = .sample, faults: SimulatorFaults = .none, chunkedNotifications: Bool = true) {
        self.host = host
        self.port = port
        self.version = version
        self.username = username
        self.password = password
        self.tenant = tenant
        self.tokenLifetime = tokenLifetime
        self.roles = roles
        self.users = users
        self.repository = repository
        self.faults = faults
        self.chunkedNotifications = chunkedNotifications
    }

    /// Everyone who can sign in: the main user first, then ``users``.
    var everyone: [SimulatedUser] {
        [SimulatedUser(username: username, password: password, roles: roles)] + users.filter { $0.username != username }
    }

    /// A readable random password such as `bake-lotu-ravi-4821`: easy to type from the console.
    public static func randomPassword() -> String {
        let syllables = ["ba", "ke", "mi", "lo", "tu", "ra", "ne", "so", "vi", "da", "fo", "gu", "pe", "zi", "ha", "jo"]
        let word = { (0..<2).map { _ in syllables.randomElement()! }.joined() }
        return "\(word())-\(word())-\(word())-\(Int.random(in: 1000...9999))"
    }
}
