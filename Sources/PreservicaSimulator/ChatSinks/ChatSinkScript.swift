/// Replies queued for one target (optionally only for paths under a prefix), consumed in order.
struct ChatSinkScript: Sendable {
    var target: ChatSinkTarget
    var pathPrefix: String?
    var replies: [ChatSinkReply]
    /// Keep answering with the last reply once the others are used (a dead target).
    var repeatingLast: Bool

    /// Whether a request to `target` at `path` takes its answer from this script.
    func applies(to target: ChatSinkTarget, path: String) -> Bool {
        self.target == target && !replies.isEmpty && (pathPrefix.map { path.hasPrefix($0) } ?? true)
    }

    /// The next reply, removing it unless it is the last of a repeating script.
    mutating func next() -> ChatSinkReply {
        if repeatingLast && replies.count == 1 { return replies[0] }
        return replies.removeFirst()
    }
}
