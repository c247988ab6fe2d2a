/// An event loop's one-shot timers, few and short-lived: a stop's grace period, a pause in
/// accepting, the periodic deadline sweep. Kept in due order.
struct LoopTimers {
    private var entries: [(due: UInt64, work: () -> Void)] = []

    /// Adds `work`, due at uptime `due` (nanoseconds).
    mutating func add(due: UInt64, _ work: @escaping () -> Void) {
        let index = entries.firstIndex { $0.due > due } ?? entries.count
        entries.insert((due, work), at: index)
    }

    /// How long `epoll_wait` may block: until the next timer is due, or forever (-1) with none.
    func waitMilliseconds(now: UInt64) -> Int32 {
        guard let next = entries.first?.due else { return -1 }
        guard next > now else { return 0 }
        return Int32(min((next - now + 999_999) / 1_000_000, 60_000))
    }

    /// Removes and returns, in due order, the timers due by `now`, for the caller to run.
    mutating func takeDue(now: UInt64) -> [() -> Void] {
        let due = entries.prefix { $0.due <= now }
        guard !due.isEmpty else { return [] }
        entries.removeFirst(due.count)
        return due.map(\.work)
    }
}
