/// A limit a service documents: at most `posts` in any `seconds`.
public struct PostWindow: Sendable, Equatable {
    public var posts: Int
    public var seconds: Double

    public init(posts: Int, seconds: Double) {
        self.posts = posts
        self.seconds = seconds
    }

    /// Whether posts at `times` (seconds, in order) keep to this limit.
    public func allows(_ times: [Double]) -> Bool {
        var first = 0
        for (index, time) in times.enumerated() {
            while time - times[first] >= seconds { first += 1 }
            if index - first + 1 > posts { return false }
        }
        return true
    }
}
