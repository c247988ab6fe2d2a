import Foundation
import JSON
import Synchronization

/// Owns the console's channels: the one way they change. Each change is checked (fields, owner,
/// version, names taken by the configuration file), written durably, recorded in the audit log
/// (who, what, never the URL) and then applied through `apply`, which reloads the relay as
/// SIGHUP does, so queued cards are kept.
///
/// A damaged file is reported and skipped: at start the relay runs with the file's channels alone;
/// at a reload the console's channels in force stay (dropping them would leave their events
/// without cards for good). Either way the console refuses changes (which would overwrite what an
/// administrator can still repair) until the file reads again.
public final class ConsoleChannelStore: Sendable {
    private struct State {
        var channels: [ConsoleChannel] = []
        var damage: ConsoleFieldError?
    }

    private let file: ConsoleChannelFile
    private let audit: AuditLog
    private let state = Mutex(State())
    private let applying = Mutex<(@Sendable () async -> Void)?>(nil)
    private let clock: @Sendable () -> Date

    /// The store under `dataDirectory`, read at once.
    public init(dataDirectory: String, clock: @escaping @Sendable () -> Date = Date.init) {
        file = ConsoleChannelFile(dataDirectory: dataDirectory)
        audit = AuditLog(dataDirectory: dataDirectory)
        self.clock = clock
        reload()
    }

    /// Reads the file again (at start and on SIGHUP). Read under the same lock as a change writes
    /// it, so a reload that meets a console save cannot put back the list from before the save.
    public func reload() {
        state.withLock { state in
            switch file.read() {
            case .success(let channels):
                state.channels = channels
                state.damage = nil
            case .failure(let problem):
                // The channels read before stay: at start there are none.
                state.damage = problem
            }
        }
    }

    /// What makes a change take effect (the relay's reload); set once by the service.
    public func onChange(_ apply: @escaping @Sendable () async -> Void) {
        applying.withLock { $0 = apply }
    }

    /// Every console channel.
    public var channels: [ConsoleChannel] { state.withLock { $0.channels } }

    /// Why the file was skipped, if it was.
    public var damage: ConsoleFieldError? { state.withLock { $0.damage } }

    /// Adds a channel owned by `editor`. `taken` are the names the configuration file uses; `most`
    /// (a curator's `console.maxChannelsPerCurator`) bounds how many the editor may own, checked
    /// under the store's lock.
    @discardableResult
    public func create(_ input: ConsoleChannelInput, by editor: ConsoleEditor, taken: [String], most: Int? = nil) async throws(ConsoleFieldError) -> ConsoleChannel {
        guard let name = input.name else { throw ConsoleFieldError(field: "name", "required: a name for the channel") }
        guard let type = input.type else { throw ConsoleFieldError(field: "type", "required: the chat service") }
        guard let url = input.url else { throw ConsoleFieldError(field: "url", "required: the incoming-webhook URL the chat service gave you") }
        guard let triggers = input.triggers else { throw ConsoleFieldError(field: "triggers", "choose at least one event") }
        var channel = ConsoleChannel(name: name, type: type, url: url, triggers: triggers, owner: editor.username)
        input.apply(to: &channel)
        channel.updatedAt = Timestamp.iso8601(clock())
        channel.updatedBy = editor.username
        channel.urlByAdministrator = editor.isAdmin
        let made = channel
        try change { channels throws(ConsoleFieldError) in
            if taken.contains(name) || channels.contains(where: { $0.name == name }) {
                throw ConsoleFieldError(field: "name", "a channel called \"\(name)\" already exists; choose another name", status: 409)
            }
            let owned = channels.filter { $0.owner == editor.username }.count
            if let most, owned >= most {
                throw ConsoleFieldError(field: "name", "you have \(owned) channels, the most one person may have here; "
                    + "delete one, or ask an administrator", status: 409)
            }
            channels.append(made)
        }
        record("create", made, by: editor, fields: input.givenFields.filter { $0 != "name" })
        await applyChange()
        return made
    }

    /// Changes channel `name`. `input.version` must be the version the editor saw.
    @discardableResult
    public func update(_ name: String, _ input: ConsoleChannelInput, by editor: ConsoleEditor) async throws(ConsoleFieldError) -> ConsoleChannel {
        guard let seen = input.version else {
            throw ConsoleFieldError(field: "version", "required: the version number the page was showing")
        }
        if let renamed = input.name, renamed != name {
            throw ConsoleFieldError(field: "name", "a channel cannot be renamed; add a new one and delete this one")
        }
        let now = Timestamp.iso8601(clock())
        let changed = try change { channels throws(ConsoleFieldError) -> ConsoleChannel in
            let index = try Self.index(of: name, in: channels, for: editor)
            var channel = channels[index]
            try Self.check(seen, against: channel)
            input.apply(to: &channel)
            // A URL given again is vouched for by whoever gave it.
            if input.url != nil { channel.urlByAdministrator = editor.isAdmin }
            channel.version += 1
            channel.updatedAt = now
            channel.updatedBy = editor.username
            channels[index] = channel
            return channel
        }
        record("update", changed, by: editor, fields: input.givenFields.filter { $0 != "name" })
        await applyChange()
        return changed
    }

    /// Removes channel `name`; when `version` is given it must be the one the editor saw.
    public func delete(_ name: String, version: Int?, by editor: ConsoleEditor) async throws(ConsoleFieldError) {
        let removed = try change { channels throws(ConsoleFieldError) -> ConsoleChannel in
            let index = try Self.index(of: name, in: channels, for: editor)
            if let version { try Self.check(version, against: channels[index]) }
            return channels.remove(at: index)
        }
        record("delete", removed, by: editor, fields: [])
        await applyChange()
    }

    /// Runs `body` on a copy of the channels and writes the result, all under the lock, so two
    /// saves never interleave; nothing changes in memory unless the file was written.
    private func change<T: Sendable>(_ body: (inout [ConsoleChannel]) throws(ConsoleFieldError) -> T) throws(ConsoleFieldError) -> T {
        try state.withLock { (state: inout State) throws(ConsoleFieldError) -> T in
            // Repaired since, or unreadable only for a moment (out of descriptors): changes go on
            // from what it holds now, and the change's reload puts that in force.
            if state.damage != nil, case .success(let channels) = file.read() {
                state.channels = channels
                state.damage = nil
            }
            if let damage = state.damage {
                throw ConsoleFieldError(field: "", "the console's channel file is damaged, so changes are refused until an administrator "
                    + "repairs it (\(damage.message))", status: 503)
            }
            var channels = state.channels
            let result = try body(&channels)
            try file.write(channels)
            state.channels = channels
            return result
        }
    }

    private static func index(of name: String, in channels: [ConsoleChannel], for editor: ConsoleEditor) throws(ConsoleFieldError) -> Int {
        // Someone else's channel is answered as missing: its name is all the editor learns from trying.
        guard let index = channels.firstIndex(where: { $0.name == name }), editor.owns(channels[index]) else {
            throw ConsoleFieldError(field: "name", "no channel called \"\(name.prefix(64))\" that you may change", status: 404)
        }
        return index
    }

    private static func check(_ seen: Int, against channel: ConsoleChannel) throws(ConsoleFieldError) {
        guard seen == channel.version else {
            throw ConsoleFieldError(field: "version", "this channel was changed by \(channel.updatedBy) at \(channel.updatedAt) after you "
                + "opened it (you had version \(seen), it is now \(channel.version)); nothing was saved.",
                status: 409)
        }
    }

    private func record(_ action: String, _ channel: ConsoleChannel, by editor: ConsoleEditor, fields: [String]) {
        audit.record("console", [("user", .string(editor.username)), ("action", .string(action)), ("channel", .string(channel.name)),
                                 ("version", .number(Double(channel.version))), ("fields", .array(fields.map(JSONValue.string))),
                                 ("paused", .bool(channel.paused))])
    }

    private func applyChange() async {
        if let apply = applying.withLock({ $0 }) { await apply() }
    }
}
