import Foundation
import OutboundHTTP
import Preservica
import Relay

/// What the console's endpoints share: the relay, the console's settings, sessions, the sign-in
/// limiter, how people are signed in, and the relay's Entity API client for folders and test cards.
struct ConsoleContext: Sendable {
    let service: RelayService
    let settings: ConsoleSettings
    let sessions: SessionStore
    let limiter: SignInLimiter
    /// How often one curator may change channels (each change reloads the relay).
    let changes: ChangeLimiter
    /// The relay's own tenant as its logins named it, kept across reloads.
    let learnedTenants = LearnedTenants()
    /// Carries sign-ins to the relay's Preservica server.
    let signInClient: OutboundClient
    /// Posts test cards; one for the console's life, so its connections are reused.
    let testClient: OutboundClient
    let logger: Logger

    /// How people are signed in: against the Preservica server of the configuration in force;
    /// nil when it has none.
    var authenticator: UserSignIn? {
        guard let preservica = service.configuration.preservica, let url = preservica.credentials.baseURL else { return nil }
        return UserSignIn(baseURL: url, client: signInClient, timeout: preservica.timeout)
    }

    /// The tenant this relay serves, which people sign in to: `preservica.tenant`, else the one
    /// Preservica named at the relay's own login (on a server of many tenants, only that one's
    /// people may sign in); nil when the relay's login has not told it.
    func servedTenant() async -> String? {
        guard let credentials = service.configuration.preservica?.credentials else { return nil }
        if let named = credentials.tenant, !named.isEmpty { return named }
        let account = credentials.server + "\u{1F}" + credentials.username
        if let known = learnedTenants.tenant(of: account) { return known }
        guard let learnt = await entities?.connection.session.accountTenant() else { return nil }
        learnedTenants.learn(learnt, of: account)
        return learnt
    }

    /// The relay's Entity API client as the configuration in force has it: a reload that rotates
    /// the Preservica password reaches folder checks and test cards at once.
    var entities: EntityClient? { service.entities }

    /// Renders and posts test cards as the configuration in force writes cards.
    var tester: ChannelTester { ChannelTester(entities: entities, configuration: service.configuration, client: testClient) }

    /// The editor a session stands for.
    func editor(_ session: ConsoleSession) -> ConsoleEditor {
        ConsoleEditor(username: session.user.username, isAdmin: session.isAdmin)
    }

    /// Names the configuration file uses for its channels (read-only in the console), also where
    /// a console channel has the same name: that one is skipped, and the queue, dead letters and
    /// deliveries found by the name are the file channel's.
    var fileChannelNames: [String] { service.fileChannelNames }
}
