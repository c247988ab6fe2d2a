/// Faults the simulator injects, to exercise a client's retries and timeouts.
public struct SimulatorFaults: Sendable, Equatable {
    /// Added before every answer (all endpoints).
    public var latency: Duration
    /// Share of Entity API calls (0...1) answered with one of ``errorStatuses`` instead of the real answer.
    public var errorRate: Double
    /// The statuses drawn from for ``errorRate``; a 429 or 503 carries ``retryAfter``.
    public var errorStatuses: [Int]
    /// Seed of the generator behind ``errorRate``: the same seed gives the same sequence of failures.
    public var seed: UInt64
    /// Notifications carry a signature computed with the wrong key (the receiver must reject them).
    public var badSignature: Bool
    /// Every notification POST is sent twice (the receiver must deduplicate).
    public var duplicateNotifications: Bool
    /// While set, every Access Token and Entity API call is answered with this status (e.g. 503), as
    /// a Preservica that is down behind its gateway; clear it to recover. Webhook sending goes on.
    public var outageStatus: Int?
    /// A paged list (a folder's children, entities updated since) says its next page is the page
    /// just served, as a broken or hostile server might: a client must not follow it for ever.
    public var pagingRepeats: Bool
    /// The `Retry-After` (whole seconds) that an injected 429 or 503 carries.
    public var retryAfter: Int

    /// Creates a set of faults; the default injects nothing.
    public init(latency: Duration = .zero, errorRate: Double = 0, errorStatuses: [Int] = [500, 503], seed: UInt64 = 1,
                badSignature: Bool = false, duplicateNotifications: Bool = false, outageStatus: Int? = nil, pagingRepeats: Bool = false,
                retryAfter: Int = 1) {
        self.latency = latency
        self.errorRate = errorRate
        self.errorStatuses = errorStatuses
        self.seed = seed
        self.badSignature = badSignature
        self.duplicateNotifications = duplicateNotifications
        self.outageStatus = outageStatus
        self.pagingRepeats = pagingRepeats
        self.retryAfter = retryAfter
    }

    /// No faults.
    public static let none = SimulatorFaults()
}
