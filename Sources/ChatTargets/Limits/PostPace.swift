/// One pace a channel keeps: `perSecond` posts a second on average, after up to `burst` at once (a
/// token bucket). A channel keeps every pace of its list at once.
public struct PostPace: Sendable, Equatable {
    public var perSecond: Double
    public var burst: Double

    public init(perSecond: Double, burst: Double) {
        self.perSecond = perSecond
        self.burst = burst
    }
}
