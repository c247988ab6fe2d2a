/// What Teams lets one bot post in one conversation (a channel), as the Flow bot posts a
/// Workflows card: at most 7 posts in any second, 8 in any 2 s, 60 in any 30 s and 1,800 in any
/// hour ("Per bot per thread limit", MicrosoftDocs/msteams-docs,
/// msteams-platform/bots/how-to/rate-limit.md). A post over it is refused 429 to the flow, whose
/// run then fails after the trigger has already answered 202: the sender never hears of it.
struct TeamsBotAllowance: Sendable {
    /// At most `posts` in any `seconds`.
    struct Window: Sendable {
        let posts: Int
        let seconds: Double
    }

    static let documented = [Window(posts: 7, seconds: 1), Window(posts: 8, seconds: 2),
                             Window(posts: 60, seconds: 30), Window(posts: 1_800, seconds: 3_600)]

    let windows: [Window]
    /// The times of the posts let through, oldest first, as far back as the longest window.
    private var posted: [ContinuousClock.Instant] = []

    init(windows: [Window] = Self.documented) {
        self.windows = windows
    }

    /// Counts a post at `now`; nil when it is allowed, else the window it would break.
    mutating func take(at now: ContinuousClock.Instant) -> Window? {
        let longest = windows.map(\.seconds).max() ?? 0
        if let keep = posted.firstIndex(where: { (now - $0) < .seconds(longest) }) { posted.removeFirst(keep) } else { posted.removeAll() }
        for window in windows {
            let recent = posted.reversed().prefix { (now - $0) < .seconds(window.seconds) }.count
            if recent >= window.posts { return window }
        }
        posted.append(now)
        return nil
    }
}
