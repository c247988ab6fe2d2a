import Synchronization

/// The tenant each Preservica account of the relay belongs to, as its login named it, kept for
/// the console's life: every reload (a channel saved) builds a new Preservica session, which
/// would otherwise have to log in again before anyone could sign in.
final class LearnedTenants: Sendable {
    private let tenants = Mutex<[String: String]>([:])

    /// The tenant learnt for `account` (server and user name), if any.
    func tenant(of account: String) -> String? { tenants.withLock { $0[account] } }

    /// Remembers the tenant of `account`.
    func learn(_ tenant: String, of account: String) { tenants.withLock { $0[account] = tenant } }
}
