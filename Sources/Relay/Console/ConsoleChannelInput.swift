import Foundation
import JSON
import Preservica

/// A channel as a request (or the stored file) gives it: every field optional until checked, so an
/// edit may leave the URL out (it is write-only: the page never has it) and keep the saved one.
public struct ConsoleChannelInput: Sendable {
    public internal(set) var name: String?
    var type: String?
    var url: Secret?
    var triggers: [String]?
    var entityTypes: [String]?
    var folder: String??

    /// The host of the URL the input sets, if it sets one.
    public var urlHost: String? { url.flatMap { URL(string: $0.reveal)?.host } }

    /// The folder the input chooses, if it chooses one.
    public var chosenFolder: String? { folder ?? nil }
    var folderTitle: String??
    /// The security tags the input limits the channel to, if it sets them.
    public internal(set) var securityTags: [String]?
    var digestWindow: Duration??
    var paused: Bool?
    /// The longest folder title kept; a longer one is cut.
    static let maxFolderTitle = 300

    /// Shows the chosen folder by `title`, as Preservica names it, instead of what the page sent.
    public mutating func takeFolderTitle(_ title: String) {
        folderTitle = .some(String(title.prefix(Self.maxFolderTitle)))
    }

    /// Leaves the channel's folder title as it is, whatever the page sent.
    public mutating func keepFolderTitle() {
        folderTitle = nil
    }

    /// The version the page was showing (required to save an edit).
    public var version: Int?

    /// Keys the page may send back unchanged from a read, and which are ignored.
    private static let readOnlyKeys = ["urlHost", "urlMasked", "owner", "readOnly", "updatedAt", "updatedBy", "urlByAdministrator"]
    private static let keys = ["name", "type", "url", "triggers", "entityTypes", "folder", "folderTitle", "securityTags", "digest",
                               "paused", "version"]

    /// Reads a request body; the first problem is thrown, naming its field.
    public static func parse(_ value: JSONValue, requireURL: Bool, at prefix: String = "") throws(ConsoleFieldError) -> ConsoleChannelInput {
        func field(_ name: String) -> String { prefix.isEmpty ? name : "\(prefix).\(name)" }
        guard let object = value.objectValue else { throw ConsoleFieldError(field: prefix, "expected a JSON object") }
        for key in object.keys where !keys.contains(key) && !readOnlyKeys.contains(key) {
            throw ConsoleFieldError(field: field(key), "unknown field (expected one of: \(keys.joined(separator: ", ")))")
        }
        var input = ConsoleChannelInput()
        if let name = object["name"] {
            guard let text = name.stringValue, isChannelName(text) else {
                throw ConsoleFieldError(field: field("name"), "a channel name is 1 to 64 letters, digits, '.', '-' or '_'")
            }
            input.name = text
        }
        if let type = object["type"] {
            guard let text = type.stringValue, ConsoleChannel.types.contains(text) else {
                throw ConsoleFieldError(field: field("type"), "expected one of \(ConsoleChannel.types.joined(separator: ", "))")
            }
            input.type = text
        }
        if let url = object["url"], url != .null, url != .string("") {
            // The message never repeats the URL: it may carry a key.
            guard let text = url.stringValue, let parsed = URL(string: text), parsed.scheme == "https" || parsed.scheme == "http",
                  parsed.host?.isEmpty == false, text.count <= 2048 else {
                throw ConsoleFieldError(field: field("url"), "expected the http(s) incoming-webhook URL the chat service gave you")
            }
            input.url = Secret(text)
        } else if requireURL {
            throw ConsoleFieldError(field: field("url"), "required: the incoming-webhook URL the chat service gave you")
        }
        if let triggers = object["triggers"] {
            let texts = try strings(triggers, field("triggers"))
            var wire: [String] = []
            for (index, text) in texts.enumerated() {
                guard let trigger = TriggerType(text: text) else {
                    throw ConsoleFieldError(field: "\(field("triggers"))[\(index)]", "unknown trigger \"\(text.prefix(40))\"; use one of "
                        + TriggerType.allCases.map(\.alias).joined(separator: ", "))
                }
                if !wire.contains(trigger.rawValue) { wire.append(trigger.rawValue) }
            }
            guard !wire.isEmpty else { throw ConsoleFieldError(field: field("triggers"), "choose at least one event") }
            input.triggers = wire
        }
        if let types = object["entityTypes"] {
            let texts = try strings(types, field("entityTypes"))
            guard !texts.isEmpty, texts.allSatisfy({ ["IO", "SO", "CO"].contains($0) }) else {
                throw ConsoleFieldError(field: field("entityTypes"), "expected some of \"IO\" (assets), \"SO\" (folders), \"CO\"")
            }
            input.entityTypes = texts
        }
        if let folder = object["folder"] {
            if folder == .null || folder == .string("") { input.folder = .some(nil) } else {
                guard let text = folder.stringValue, EntityClient.isReference(text) else {
                    throw ConsoleFieldError(field: field("folder"), "expected a folder reference chosen in the folder browser")
                }
                input.folder = .some(text)
            }
        }
        if let title = object["folderTitle"] {
            input.folderTitle = .some(title.stringValue.map { String($0.prefix(Self.maxFolderTitle)) })
        }
        if let tags = object["securityTags"] {
            let texts = try strings(tags, field("securityTags"))
            guard texts.allSatisfy({ !$0.isEmpty && $0.count <= 100 }) else {
                throw ConsoleFieldError(field: field("securityTags"), "a security tag is 1 to 100 characters")
            }
            input.securityTags = texts
        }
        if let digest = object["digest"] {
            switch digest {
            case .null, .bool(false): input.digestWindow = .some(nil)
            case .object(let members):
                guard let text = members["window"]?.stringValue, let window = DurationText.parse(text),
                      window >= .seconds(1), window <= .seconds(86_400) else {
                    throw ConsoleFieldError(field: field("digest.window"), "expected a duration from \"1s\" to \"24h\", such as \"2m\"")
                }
                input.digestWindow = .some(window)
            default:
                throw ConsoleFieldError(field: field("digest"), "expected null (off) or { \"window\": \"2m\" }")
            }
        }
        if let paused = object["paused"] {
            guard case .bool(let flag) = paused else { throw ConsoleFieldError(field: field("paused"), "expected true or false") }
            input.paused = flag
        }
        if let version = object["version"] {
            guard let number = version.numberValue, number.rounded() == number, number >= 1, number < 1e12 else {
                throw ConsoleFieldError(field: field("version"), "expected the version number the page was showing")
            }
            input.version = Int(number)
        }
        return input
    }

    /// Copies every field that was given onto `channel`.
    func apply(to channel: inout ConsoleChannel) {
        if let name { channel.name = name }
        if let type { channel.type = type }
        if let url { channel.url = url }
        if let triggers { channel.triggers = triggers }
        if let entityTypes { channel.entityTypes = entityTypes }
        if let folder {
            channel.folder = folder
            if folder == nil { channel.folderTitle = nil }
        }
        if let folderTitle { channel.folderTitle = folderTitle }
        if let securityTags { channel.securityTags = securityTags }
        if let digestWindow { channel.digestWindow = digestWindow }
        if let paused { channel.paused = paused }
    }

    /// The names of the fields given, for the audit log (never their values: one is the URL).
    var givenFields: [String] {
        var fields: [String] = []
        if name != nil { fields.append("name") }
        if type != nil { fields.append("type") }
        if url != nil { fields.append("url") }
        if triggers != nil { fields.append("triggers") }
        if entityTypes != nil { fields.append("entityTypes") }
        if folder != nil { fields.append("folder") }
        if securityTags != nil { fields.append("securityTags") }
        if digestWindow != nil { fields.append("digest") }
        if paused != nil { fields.append("paused") }
        return fields
    }

    /// The rule the configuration file applies to channel names (they become directory names).
    static func isChannelName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 64 && name != "." && name != ".." && name.utf8.allSatisfy {
            ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5a) || ($0 >= 0x61 && $0 <= 0x7a) || $0 == 0x2d || $0 == 0x5f || $0 == 0x2e
        }
    }

    private static func strings(_ value: JSONValue, _ path: String) throws(ConsoleFieldError) -> [String] {
        guard let items = value.arrayValue, items.count <= 50 else { throw ConsoleFieldError(field: path, "expected a list of words") }
        var texts: [String] = []
        for (index, item) in items.enumerated() {
            guard let text = item.stringValue else { throw ConsoleFieldError(field: "\(path)[\(index)]", "expected text") }
            texts.append(text)
        }
        return texts
    }
}
