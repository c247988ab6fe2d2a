import Preservica

/// Checks a person's credentials and tells who they are; ``UserSignIn`` against Preservica in
/// the relay, a double in tests that need no server.
public protocol ConsoleAuthenticator: Sendable {
    /// The user, or a ``PreservicaError`` (``PreservicaError/loginRefused(_:)`` for wrong credentials).
    func signIn(username: String, password: String, tenant: String?) async throws(PreservicaError) -> PreservicaUser
}

extension UserSignIn: ConsoleAuthenticator {}
