/// Everything about a running simulator that changes: tokens, subscriptions, faults, the request log.
struct SimulatorState: Sendable {
    var tokens = TokenStore()
    var subscriptions: [SimulatedSubscription] = []
    var faults: SimulatorFaults
    var generator: SeededGenerator
    var failNext: (count: Int, status: Int) = (0, 503)
    /// Folders that answer a status instead (by reference).
    var brokenFolders: [String: Int] = [:]
    /// Content objects whose generations and bitstreams answer a status instead (by reference).
    var brokenContentObjects: [String: Int] = [:]
    /// `assetRef/type` → the status its representation document answers.
    var brokenRepresentations: [String: Int] = [:]
    /// Logins and refreshes still to be answered with a status instead of a token.
    var failNextLogins: (count: Int, status: Int) = (0, 503)
    /// Passwords changed while running, by user name and tenant (``AccessTokenEndpoints/owner``'s key).
    var changedPasswords: [String: String] = [:]
    var requestLog: [String] = []
    var index: RepositoryIndex
    var port = 0

    init(configuration: SimulatorConfiguration) {
        faults = configuration.faults
        generator = SeededGenerator(seed: configuration.faults.seed)
        index = RepositoryIndex(configuration.repository)
    }

    /// The status an Entity API call should fail with, if a fault says so; consumes a forced failure
    /// or one draw of the seeded generator.
    mutating func injectedFailure() -> Int? {
        if failNext.count > 0 {
            failNext.count -= 1
            return failNext.status
        }
        guard faults.errorRate > 0, !faults.errorStatuses.isEmpty else { return nil }
        let draw = Double(generator.next() >> 11) / Double(1 << 53)
        guard draw < faults.errorRate else { return nil }
        return faults.errorStatuses[Int(generator.next() % UInt64(faults.errorStatuses.count))]
    }
}
