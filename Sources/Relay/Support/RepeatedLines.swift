import Synchronization

/// Keeps a flood of one kind of log line from becoming a flood of lines. A line that can come once
/// per request or per event (a refused notification, an event no route takes) is written in full
/// at most `limit` times per kind in each `window`; the rest are counted, and when the window has
/// passed one summary line says how many were left out. Counters in `/metrics` still count every
/// one.
///
/// A kind is the line's message and a key from a small fixed set (a reason, a trigger), never a
/// value a sender chooses freely, so the table stays small.
final class RepeatedLines: Sendable {
    /// What was left out of one kind of line in a window that has passed.
    struct Summary: Sendable {
        var level: Logger.Level
        var message: String
        /// The fields of the last line left out.
        var fields: [(key: String, value: String)]
        /// How many lines were left out.
        var count: Int
    }

    private struct Kind {
        var windowStart: ContinuousClock.Instant
        var written = 0
        var left: Summary?
    }

    /// Lines written in full per kind and window.
    let limit: Int
    /// How long a window lasts.
    let window: Duration
    private let now: @Sendable () -> ContinuousClock.Instant
    private let kinds = Mutex<[String: Kind]>([:])
    /// Signalled when a window first leaves a line out, so its summary can be written on time.
    let leftOut = Wakeup()

    init(limit: Int = 5, window: Duration = .seconds(1), now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }) {
        self.limit = limit
        self.window = window
        self.now = now
    }

    /// Whether to write this line; if not, it is counted. Also returns the summary of this kind's
    /// last window when that window has passed, to be written first.
    func admit(_ level: Logger.Level, _ message: String, key: String,
               fields: KeyValuePairs<String, String>) -> (write: Bool, summary: Summary?) {
        let now = now()
        let (write, summary, first) = kinds.withLock { kinds -> (Bool, Summary?, Bool) in
            let name = message + "\u{0}" + key
            var kind = kinds[name] ?? Kind(windowStart: now)
            var summary: Summary?
            if now - kind.windowStart >= window {
                summary = kind.left
                kind = Kind(windowStart: now)
            }
            defer { kinds[name] = kind }
            if kind.written < limit {
                kind.written += 1
                return (true, summary, false)
            }
            let first = kind.left == nil
            var left = kind.left ?? Summary(level: level, message: message, fields: [], count: 0)
            left.fields = fields.map { (key: $0.key, value: $0.value) }
            left.count += 1
            kind.left = left
            return (false, summary, first)
        }
        if first { leftOut.signal() }
        return (write, summary)
    }

    /// Takes the summaries of windows that have passed (every window's when `all` is set, at
    /// shutdown).
    func due(all: Bool = false) -> [Summary] {
        let now = now()
        return kinds.withLock { kinds in
            var due: [Summary] = []
            for (name, kind) in kinds where all || now - kind.windowStart >= window {
                if let left = kind.left { due.append(left) }
                kinds[name] = nil
            }
            return due.sorted { ($0.message, $0.count) < ($1.message, $1.count) }
        }
    }
}
