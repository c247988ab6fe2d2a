import Foundation
import Preservica
import Relay

/// What the console's endpoints share: the relay, the console's settings, sessions, the sign-in
/// limiter, how people are signed in, and the relay's Entity API client for folders and test cards.
struct ConsoleContext: Sendable {
    let service: RelayService
    let settings: ConsoleSettings
    let sessions: SessionStore
    let limiter: SignInLimiter
    let authenticator: (any ConsoleAuthenticator)?
    let entities: EntityClient?
    let tester: ChannelTester
    let logger: Logger
    /// The tenant to sign people in to when they leave it empty: the relay's own.
    let defaultTenant: String?

    /// The editor a session stands for.
    func editor(_ session: ConsoleSession) -> ConsoleEditor {
        ConsoleEditor(username: session.user.username, isAdmin: session.isAdmin)
    }

    /// Names the configuration file uses for its channels (read-only in the console).
    var fileChannelNames: [String] {
        let console = Set(service.consoleChannels.channels.map(\.name))
        return service.configuration.channels.map(\.name).filter { !console.contains($0) }
    }
}
