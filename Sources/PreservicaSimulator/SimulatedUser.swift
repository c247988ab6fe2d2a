/// A person who can sign in to the simulator besides the main (service) user: the curators'
/// console signs people in with their own accounts and reads their roles.
public struct SimulatedUser: Sendable, Equatable {
    /// The user name.
    public var username: String
    /// The password.
    public var password: String
    /// The roles `GET /api/user/details` reports for this user.
    public var roles: [String]
    /// The name shown to people.
    public var fullName: String
    /// The tenant the user belongs to; nil for the simulator's own. A server such as
    /// eu.preservica.com holds many tenants, and a login names the user's tenant or fails.
    public var tenant: String?

    /// Creates a user.
    public init(username: String, password: String, roles: [String], fullName: String? = nil, tenant: String? = nil) {
        self.username = username
        self.password = password
        self.roles = roles
        self.fullName = fullName ?? username
        self.tenant = tenant
    }

    /// The users every simulator has unless told otherwise, sharing one fresh password: `curator`
    /// (may manage channels), `archivist` (manages channels for everyone: `ROLE_SDB_ADMIN_USER`)
    /// and `reader` (a read-only role, so the console refuses them).
    public static func defaults(password: String = SimulatorConfiguration.randomPassword()) -> [SimulatedUser] {
        [
            SimulatedUser(username: "curator", password: password, roles: ["ROLE_SDB_MANAGER_USER"], fullName: "Cora Curator"),
            SimulatedUser(username: "archivist", password: password, roles: ["ROLE_SDB_ADMIN_USER", "ROLE_SDB_MANAGER_USER"],
                          fullName: "Ada Archivist"),
            SimulatedUser(username: "reader", password: password, roles: ["ROLE_SDB_READ_ONLY_USER"], fullName: "Rex Reader"),
        ]
    }
}
