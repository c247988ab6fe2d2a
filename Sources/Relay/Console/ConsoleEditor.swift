/// The signed-in person making a change in the console.
public struct ConsoleEditor: Sendable, Equatable {
    /// Their Preservica user name.
    public var username: String
    /// Whether they hold one of `console.adminRoles` (they may change everyone's channels).
    public var isAdmin: Bool

    /// Creates an editor.
    public init(username: String, isAdmin: Bool) {
        self.username = username
        self.isAdmin = isAdmin
    }

    /// Whether they may see and change `channel`.
    public func owns(_ channel: ConsoleChannel) -> Bool { isAdmin || channel.owner == username }
}
