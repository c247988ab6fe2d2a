import Preservica
import Relay

/// Logs in before a command that answers from Preservica's data: a routing or card answer built
/// from an unreachable server or a refused password would look confident and be wrong.
enum PreservicaReachability {
    /// Whether the login works; on failure says why on stderr (never the password).
    static func check(_ entities: EntityClient, for command: String) async -> Bool {
        do {
            _ = try await entities.connection.session.token()
            return true
        } catch {
            // The error can hold Preservica's own message: one line, its controls escaped.
            Console.error("\(command): \(TerminalText.field(error.description)) (at \(entities.connection.baseURL.absoluteString))")
            return false
        }
    }
}
