import Foundation
import JSON
import CardTemplates
import ChatTargets
import Preservica

/// Reads the `channels` and `routes` blocks.
enum ChannelsReader {
    static let channelKeys = ["type", "url", "homeserver", "room", "token", "secret", "templates", "rateLimit", "digest",
                              "securityTags", "maxAttempts", "maxAge"]

    static func channels(_ value: JSONValue?, _ reader: inout ConfigurationReader) -> [ChannelSettings] {
        guard let value else { return [] }
        guard case .object(let members) = value else {
            reader.problem("channels", "expected an object of channels by name, found \(value.typeName)")
            return []
        }
        var channels: [ChannelSettings] = []
        for (name, body) in members {
            let path = "channels.\(name)"
            // The name becomes a directory under outbox/ and dead/, and a metrics label.
            let allowed = name.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5a) || ($0 >= 0x61 && $0 <= 0x7a) || $0 == 0x2d || $0 == 0x5f || $0 == 0x2e }
            guard allowed, !name.isEmpty, name.count <= 64, name != ".", name != ".." else {
                reader.problem(path, "a channel name is 1 to 64 letters, digits, '.', '-' or '_'")
                continue
            }
            guard let object = reader.object(body, path, allowed: channelKeys) else {
                continue
            }
            let kinds = ChatTargetKind.allCases.map(\.rawValue).joined(separator: ", ")
            guard let typeName = reader.string(object["type"], "\(path).type") else {
                if object["type"] == nil { reader.problem("\(path).type", "required: one of \(kinds)") }
                continue
            }
            guard let type = ChatTargetKind(rawValue: typeName) else {
                reader.problem("\(path).type", "expected one of \(kinds), found \"\(typeName)\"")
                continue
            }
            let urlKey = type == .matrix && object["homeserver"] != nil ? "homeserver" : "url"
            if urlKey == "homeserver" && object["url"] != nil {
                reader.problem("\(path).url", "a Matrix channel takes homeserver or url, not both; keep homeserver")
            }
            guard let url = reader.secret(object[urlKey], "\(path).\(urlKey)") else {
                if object[urlKey] == nil { reader.problem("\(path).\(urlKey)", "required: the \(type == .matrix ? "homeserver URL" : "incoming webhook URL")") }
                continue
            }
            guard let parsed = URL(string: url.reveal), parsed.scheme == "https" || parsed.scheme == "http", parsed.host != nil else {
                reader.problem("\(path).\(urlKey)", "expected an http(s) URL")
                continue
            }
            var channel = ChannelSettings(name: name, type: type, url: url)
            if let warning = type.urlWarning(host: parsed.host ?? "") { reader.warning("\(path).\(urlKey)", warning) }
            if CleartextURL.crossesNetwork(parsed) {
                reader.warning("\(path).\(urlKey)", CleartextURL.warning(sending: type == .matrix ? "the access token" : "the key in this URL"))
            }
            if type == .matrix {
                channel.room = reader.string(object["room"], "\(path).room")
                channel.token = reader.secret(object["token"], "\(path).token")
                if channel.room == nil { reader.problem("\(path).room", "required for matrix: the room id, e.g. \"!abc:example.org\"") }
                // The send endpoint takes a room ID (Matrix spec, PUT /rooms/{roomId}/send); an alias is refused there.
                if let room = channel.room, !room.hasPrefix("!") {
                    reader.problem("\(path).room", "expected the room's ID, starting with ! (in Element: Room settings, Advanced, "
                        + "Internal room ID), not an alias such as #name:server")
                }
                if channel.token == nil { reader.problem("\(path).token", "required for matrix: an access token") }
            }
            if type == .webhook, let secret = reader.secret(object["secret"], "\(path).secret") {
                if StandardWebhookSecret.key(secret.reveal) != nil { channel.token = secret } else {
                    reader.problem("\(path).secret", "expected a Standard Webhooks secret: whsec_ followed by the base64 "
                        + "(standard alphabet, padded) of 24 to 64 random bytes, as the Standard Webhooks libraries make")
                }
            }
            if let templates = reader.object(object["templates"], "\(path).templates", allowed: CardKind.allCases.map(\.rawValue)) {
                for (kind, file) in templates {
                    guard let file = reader.string(file, "\(path).templates.\(kind)") else { continue }
                    do {
                        _ = try CardTemplate(contentsOfFile: file)
                        channel.templates[kind] = file
                    } catch {
                        reader.problem("\(path).templates.\(kind)", "\(error)")
                    }
                }
            }
            if let rate = object["rateLimit"] {
                if case .number(let perSecond) = rate, perSecond >= 0.01, perSecond <= 1_000 { channel.rateLimit = perSecond } else {
                    reader.problem("\(path).rateLimit", "expected posts per second from 0.01 to 1000, such as 1 or 0.5")
                }
            }
            // Keys another type of channel reads: written here they would be ignored without a word.
            let foreign: [String: Set<ChatTargetKind>] = ["room": [.matrix], "token": [.matrix], "homeserver": [.matrix], "secret": [.webhook]]
            for (key, types) in foreign.sorted(by: { $0.key < $1.key }) where object[key] != nil && !types.contains(type) {
                reader.warning("\(path).\(key)", "ignored: only a \(types.map(\.rawValue).sorted().joined(separator: " or ")) channel reads it")
            }
            if let digest = reader.object(object["digest"], "\(path).digest", allowed: ["window", "threshold", "maxItems", "foldAfter"]) {
                var settings = DigestSettings()
                if let window = reader.duration(digest["window"], "\(path).digest.window") { settings.window = window }
                if let threshold = reader.integer(digest["threshold"], "\(path).digest.threshold", in: 2...10_000) { settings.threshold = threshold }
                if let maxItems = reader.integer(digest["maxItems"], "\(path).digest.maxItems", in: 1...100) { settings.maxItems = maxItems }
                if let fold = reader.duration(digest["foldAfter"], "\(path).digest.foldAfter") { settings.foldAfter = fold }
                channel.digest = settings
            }
            if let tags = reader.object(object["securityTags"], "\(path).securityTags", allowed: ["allow", "deny", "redact"]) {
                channel.securityTags.allow = strings(tags["allow"], "\(path).securityTags.allow", &reader)
                channel.securityTags.deny = strings(tags["deny"], "\(path).securityTags.deny", &reader) ?? []
                if let redact = tags["redact"] {
                    if case .bool(let flag) = redact { channel.securityTags.redact = flag } else {
                        reader.problem("\(path).securityTags.redact", "expected true or false")
                    }
                }
                // Unlike a route's empty list (any tag), an empty allow list lets no tag through.
                if channel.securityTags.allow == [], !channel.securityTags.redact {
                    reader.warning("\(path).securityTags.allow", "an empty list allows no tag, so this channel gets no card; "
                        + "leave allow out for every tag, or add redact: true to post every asset with its details hidden")
                }
            }
            if let attempts = reader.integer(object["maxAttempts"], "\(path).maxAttempts", in: 1...100) { channel.maxAttempts = attempts }
            if let age = reader.duration(object["maxAge"], "\(path).maxAge", atLeast: .seconds(60)) { channel.maxAge = age }
            channels.append(channel)
        }
        return channels
    }

    /// The routes; `defined` names every channel the file defines, read or not.
    static func routes(_ value: JSONValue?, channels: [ChannelSettings], defined: Set<String> = [],
                       _ reader: inout ConfigurationReader) -> [RouteSettings] {
        guard let value else { return [] }
        guard case .array(let items) = value else {
            reader.problem("routes", "expected an array of routes, found \(value.typeName)")
            return []
        }
        var routes: [RouteSettings] = []
        for (index, item) in items.enumerated() {
            let path = "routes[\(index)]"
            guard let object = reader.object(item, path, allowed: ["triggers", "entityTypes", "folder", "securityTags", "titleMatches",
                                                                   "channels", "continue"]) else { continue }
            var route = RouteSettings(channels: [])
            let triggers = strings(object["triggers"], "\(path).triggers", &reader)
            // Left out, a route takes every trigger; [] would read the same, though written for none.
            if triggers?.isEmpty == true {
                reader.problem("\(path).triggers", "choose at least one trigger; leave it out for every trigger")
            }
            for (position, text) in (triggers ?? []).enumerated() {
                if let trigger = TriggerType(text: text) { route.triggers.append(trigger.rawValue) } else {
                    reader.problem("\(path).triggers[\(position)]", "unknown trigger \"\(text)\"; use one of "
                        + TriggerType.allCases.map(\.rawValue).joined(separator: ", "))
                }
            }
            if let types = strings(object["entityTypes"], "\(path).entityTypes", &reader) {
                // Matched as Preservica writes them; "io" would match nothing, and [] everything.
                if types.isEmpty {
                    reader.problem("\(path).entityTypes", "choose at least one of \"IO\" (assets), \"SO\" (folders), \"CO\"; leave it out for assets only")
                }
                for (position, type) in types.enumerated() where !["IO", "SO", "CO"].contains(type) {
                    reader.problem("\(path).entityTypes[\(position)]", "expected \"IO\" (assets), \"SO\" (folders) or \"CO\", found \"\(type)\"")
                }
                route.entityTypes = types
            }
            if let folder = reader.string(object["folder"], "\(path).folder") {
                // Matched against the references above each asset: a title or an empty value would match nothing.
                if EntityClient.isReference(folder) { route.folder = folder } else {
                    reader.problem("\(path).folder", "expected a folder's reference (as in its address in Preservica), not its title; "
                        + "leave it out for every folder")
                }
            }
            route.securityTags = strings(object["securityTags"], "\(path).securityTags", &reader) ?? []
            if let pattern = reader.string(object["titleMatches"], "\(path).titleMatches") {
                if (try? NSRegularExpression(pattern: pattern)) == nil {
                    reader.problem("\(path).titleMatches", "not a valid regular expression: \(pattern)")
                } else {
                    route.titlePattern = pattern
                }
            }
            let names = strings(object["channels"], "\(path).channels", &reader) ?? []
            if names.isEmpty { reader.problem("\(path).channels", "required: at least one channel name") }
            // A channel defined with a problem of its own (a secret that cannot be read) is not
            // also reported unknown here.
            for (position, name) in names.enumerated() where !channels.contains(where: { $0.name == name }) && !defined.contains(name) {
                reader.problem("\(path).channels[\(position)]", "no channel named \"\(name)\" in channels")
            }
            route.channels = names
            if let flag = object["continue"] {
                if case .bool(let value) = flag { route.continueMatching = value } else { reader.problem("\(path).continue", "expected true or false") }
            }
            routes.append(route)
        }
        return routes
    }

    private static func strings(_ value: JSONValue?, _ path: String, _ reader: inout ConfigurationReader) -> [String]? {
        guard let value else { return nil }
        guard case .array(let items) = value else {
            reader.problem(path, "expected an array of strings, found \(value.typeName)")
            return nil
        }
        return items.enumerated().compactMap { reader.string($0.element, "\(path)[\($0.offset)]") }
    }
}
