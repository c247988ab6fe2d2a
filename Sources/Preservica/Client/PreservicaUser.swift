/// A person Preservica signed in: who they are and what they may do.
public struct PreservicaUser: Sendable, Equatable {
    /// The user name as Preservica reports it.
    public var username: String
    /// The name to show.
    public var fullName: String
    /// The tenant they belong to.
    public var tenant: String
    /// Their roles, e.g. `ROLE_SDB_MANAGER_USER`.
    public var roles: [String]

    /// Creates a user.
    public init(username: String, fullName: String, tenant: String, roles: [String]) {
        self.username = username
        self.fullName = fullName
        self.tenant = tenant
        self.roles = roles
    }
}
