import Preservica
import Synchronization

/// The webhook verifier in force; a configuration reload replaces it (new secrets take effect for
/// the next request).
public final class SharedVerifier: Sendable {
    private let verifier: Mutex<WebhookVerifier>

    /// Holds `verifier`.
    public init(_ verifier: WebhookVerifier) {
        self.verifier = Mutex(verifier)
    }

    /// The verifier in force.
    public var current: WebhookVerifier { verifier.withLock { $0 } }

    /// Replaces it.
    public func replace(with verifier: WebhookVerifier) {
        self.verifier.withLock { $0 = verifier }
    }
}
