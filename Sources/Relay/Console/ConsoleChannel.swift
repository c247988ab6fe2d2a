import Foundation
import JSON

/// A channel a curator set up in the console, with its one route: the config file's channel object
/// plus its route, as the console's API shows it.
public struct ConsoleChannel: Sendable, Equatable {
    /// The channel's name (unique among the file's and the console's channels).
    public var name: String
    /// The chat service, one of ``ConsoleChannel/types``.
    public var type: String
    /// The incoming-webhook URL: write-only, never shown, logged or audited.
    public var url: Secret
    /// Trigger wire values (at least one).
    public var triggers: [String]
    /// Entity types (default `["IO"]`).
    public var entityTypes: [String] = ["IO"]
    /// Only assets in this folder or below it.
    public var folder: String?
    /// The folder's title when it was chosen, to show without asking Preservica.
    public var folderTitle: String?
    /// Only assets with one of these security tags (empty: any).
    public var securityTags: [String] = []
    /// The digest window, when the channel gathers bursts into one card.
    public var digestWindow: Duration?
    /// A paused channel gets no new cards; cards already queued still go out.
    public var paused = false
    /// Who made it (the Preservica user name).
    public var owner: String
    /// Bumped on every change; a save carrying an older number is refused.
    public var version = 1
    /// When and by whom it last changed.
    public var updatedAt: String = ""
    /// The user who made the last change.
    public var updatedBy: String = ""
    /// Whether an administrator gave its URL, which may then name a private address (a chat
    /// server on the office network). Any other URL must lead to public addresses only, checked
    /// again before every card (``ChannelSettings/publicAddressesOnly``). Kept in the file, never
    /// taken from a request; nil for a channel an older relay saved, which did not say.
    public var urlByAdministrator: Bool?

    /// The services a console channel can post to: the ones configured by one URL alone.
    public static let types = ["teams", "slack", "google-chat", "discord", "mattermost", "teams-connector"]

    /// Creates a channel.
    public init(name: String, type: String, url: Secret, triggers: [String], owner: String) {
        self.name = name
        self.type = type
        self.url = url
        self.triggers = triggers
        self.owner = owner
    }

    /// The host the channel posts to, safe to show (never the path or query, which carry keys).
    public var urlHost: String { URL(string: url.reveal)?.host ?? "?" }

    /// The URL as people see it after saving: scheme, host and a mask.
    public var urlMasked: String { "\(URL(string: url.reveal)?.scheme ?? "https")://\(urlHost)/••••••" }

    /// What the API returns: everything but the URL, which becomes `urlHost` and `urlMasked`.
    public var publicJSON: JSONValue {
        var object = JSONObject([("name", .string(name)), ("type", .string(type)), ("urlHost", .string(urlHost)),
                                 ("urlMasked", .string(urlMasked)), ("triggers", .array(triggers.map(JSONValue.string))),
                                 ("entityTypes", .array(entityTypes.map(JSONValue.string)))])
        if let folder { object["folder"] = .string(folder) }
        if let folderTitle { object["folderTitle"] = .string(folderTitle) }
        object["securityTags"] = .array(securityTags.map(JSONValue.string))
        object["digest"] = digestWindow.map { .object(JSONObject([("window", .string(DurationText.format($0)))])) } ?? .null
        object["paused"] = .bool(paused)
        object["owner"] = .string(owner)
        object["version"] = .number(Double(version))
        object["updatedAt"] = .string(updatedAt)
        object["updatedBy"] = .string(updatedBy)
        object["readOnly"] = .bool(false)
        return .object(object)
    }

    /// How it is kept in `console/channels.json` (with the URL).
    var storedJSON: JSONValue {
        guard case .object(var object) = publicJSON else { return publicJSON }
        object["urlHost"] = nil
        object["urlMasked"] = nil
        object["readOnly"] = nil
        object["url"] = .string(url.reveal)
        if let urlByAdministrator { object["urlByAdministrator"] = .bool(urlByAdministrator) }
        return .object(object)
    }

    /// A channel from its stored form; problems name the field.
    static func stored(_ value: JSONValue, at path: String) throws(ConsoleFieldError) -> ConsoleChannel {
        let input = try ConsoleChannelInput.parse(value, requireURL: true, at: path)
        let object = value.objectValue
        guard let name = input.name else { throw ConsoleFieldError(field: "\(path).name", "required") }
        guard let type = input.type else { throw ConsoleFieldError(field: "\(path).type", "required") }
        guard let triggers = input.triggers, let url = input.url else { throw ConsoleFieldError(field: "\(path).triggers", "required") }
        guard let owner = object?["owner"]?.stringValue, !owner.isEmpty else {
            throw ConsoleFieldError(field: "\(path).owner", "required: the user who made the channel")
        }
        var channel = ConsoleChannel(name: name, type: type, url: url, triggers: triggers, owner: owner)
        input.apply(to: &channel)
        channel.version = max(1, input.version ?? 1)
        channel.updatedAt = object?["updatedAt"]?.stringValue ?? ""
        channel.updatedBy = object?["updatedBy"]?.stringValue ?? ""
        channel.urlByAdministrator = object?["urlByAdministrator"].map { $0 == .bool(true) }
        return channel
    }
}
