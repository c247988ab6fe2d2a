import Foundation
import HTTPServer
import JSON
import Preservica
import Relay

/// `/console/api/channels...`: list, add, change, remove, test, preview, deliveries and replay.
/// A curator sees and changes only their own channels (administrators everyone's); the file's
/// channels are listed read-only.
struct ChannelEndpoints: Sendable {
    let context: ConsoleContext

    private var store: ConsoleChannelStore { context.service.consoleChannels }

    /// How a channel's deliveries have gone since the relay started: its last delivery, its last
    /// failure with the service's reason, how many failed in a row, and how many cards wait.
    private func health(_ name: String) -> JSONValue {
        let status = context.service.status
        var object = JSONObject([("waiting", .number(Double(Outbox(dataDirectory: context.service.configuration.dataDirectory)
            .pendingCount(channel: name))))])
        if let success = status.lastSuccess(name) { object["lastSuccess"] = .string(success) }
        if let failure = status.lastFailure(name) {
            object["lastFailure"] = .string(failure.time)
            object["lastFailureReason"] = .string(String(failure.detail.prefix(200)))
        }
        if let state = status.channelState(name) {
            object["failuresInARow"] = .number(Double(state.failuresInARow))
            // The service said the address takes no more cards: the curator has to give it a new one.
            if state.lastOutcome == "gone" { object["gone"] = .bool(true) }
        }
        return .object(object)
    }

    func list(_ session: ConsoleSession) -> HTTPResponse {
        let editor = context.editor(session)
        let mine = store.channels.filter(editor.owns)
        var items = mine.map { channel -> JSONValue in
            guard case .object(var object) = channel.publicJSON else { return channel.publicJSON }
            // A channel the file's shadows gets no cards and has no health of its own: what is kept
            // under its name is the file channel's. It is listed once, to be deleted.
            let shadowed = context.fileChannelNames.contains(channel.name)
            object["health"] = shadowed ? .null : health(channel.name)
            if shadowed { object["shadowed"] = .bool(true) }
            return .object(object)
        }
        let routes = context.service.configuration.routes
        let listed = Set(mine.map(\.name))
        for name in context.fileChannelNames where !listed.contains(name) {
            guard let channel = context.service.configuration.channels.first(where: { $0.name == name }) else { continue }
            let triggers = Array(Set(routes.filter { $0.channels.contains(name) }.flatMap(\.triggers))).sorted()
            items.append(.object(JSONObject([("name", .string(name)), ("type", .string(channel.type.rawValue)), ("urlHost", .string(channel.host)),
                                             ("triggers", .array(triggers.map(JSONValue.string))), ("readOnly", .bool(true))])))
        }
        var body = JSONObject([("channels", .array(items))])
        if let damage = store.damage { body["problem"] = .string("the console's channel file is damaged: \(damage.message)") }
        body["triggers"] = .array(TriggerType.allCases.map { trigger in
            .object(JSONObject([("value", .string(trigger.rawValue)), ("alias", .string(trigger.alias)),
                                ("label", .string(Self.plainWords(trigger)))]))
        })
        body["types"] = .array(ConsoleChannel.types.map { .object(JSONObject([("value", .string($0)),
                                                                                ("label", .string(ChannelTester.serviceName($0)))])) })
        return ConsoleResponse.json(200, .object(body))
    }

    /// What a session may see of Preservica: `console.browseSecurityTags` for a curator, nil
    /// (everything the relay's account sees) for an administrator.
    private func visibleTags(_ session: ConsoleSession) -> Set<String>? {
        session.isAdmin ? nil : Set(context.settings.browseSecurityTags)
    }

    /// A curator may choose only a folder the folder browser shows them: its security tag and
    /// those of the folders above it in `console.browseSecurityTags`. The folder's title as
    /// Preservica gives it, for the channel to show (not the one the page sent); nil when not checked.
    private func checkFolder(_ input: ConsoleChannelInput, _ session: ConsoleSession) async throws(ConsoleFieldError) -> String? {
        guard let visible = visibleTags(session), let folder = input.chosenFolder else { return nil }
        guard let entities = context.entities else {
            throw ConsoleFieldError(field: "folder", "the relay has no Preservica credentials, so the folder cannot be checked", status: 503)
        }
        let path: [FolderEntity]
        do throws(PreservicaError) {
            path = try await entities.folderPath(folder)
        } catch .notFound {
            throw ConsoleFieldError(field: "folder", "no such folder", status: 404)
        } catch {
            throw ConsoleFieldError(field: "folder", "Preservica could not be asked about the folder: \(error)", status: 502)
        }
        guard !path.isEmpty, path.allSatisfy({ visible.contains($0.securityTag) }) else {
            throw ConsoleFieldError(field: "folder", "no such folder", status: 404)
        }
        return path.last?.title
    }

    /// Every console channel receives only assets tagged with one of `console.browseSecurityTags`
    /// (administrators' too): a channel limited to another tag would never get a card. Tags the
    /// channel already has (saved before this check, or before the setting changed) stay allowed,
    /// so an edit of its URL is not refused for them.
    private func checkTags(_ input: ConsoleChannelInput, keeping kept: [String] = []) throws(ConsoleFieldError) {
        let received = context.settings.browseSecurityTags
        guard let tags = input.securityTags, let outside = tags.first(where: { !received.contains($0) && !kept.contains($0) }) else { return }
        throw ConsoleFieldError(field: "securityTags", "channels made here receive only assets tagged \(ChannelTester.quoted(received)), "
            + "so one limited to \"\(outside.prefix(100))\" would never get that card; "
            + "leave it out, or ask an administrator for a channel in the configuration file")
    }

    /// A curator's channel posts to a chat service on the internet: every address of its host must
    /// be public, unless `console.allowPrivateChannelURLs` (administrators are not held to it).
    private func checkAddress(_ host: String?, _ session: ConsoleSession) async throws(ConsoleFieldError) {
        guard let host, !session.isAdmin, !context.settings.allowPrivateChannelURLs else { return }
        if let problem = await ChannelAddressPolicy.problem(host: host) { throw ConsoleFieldError(field: "url", problem) }
    }

    /// A curator over ``ChangeLimiter``'s limit is answered 429; nil lets the change go ahead
    /// (``madeChange(_:)`` counts it once made).
    private func tooManyChanges(_ session: ConsoleSession) -> HTTPResponse? {
        guard !session.isAdmin, let wait = context.changes.wait(user: session.user.username) else { return nil }
        context.logger.warning("console change refused: too many changes", ["user": session.user.username])
        let minutes = max(1, (wait.components.seconds + 59) / 60)
        var response = ConsoleResponse.error(429, "too many changes in a short time (each one reloads the relay); try again in \(minutes) minute(s)")
        response.headers.set(name: "Retry-After", value: String(max(1, wait.components.seconds)))
        return response
    }

    /// Counts a change a curator made.
    private func madeChange(_ session: ConsoleSession) {
        if !session.isAdmin { context.changes.record(user: session.user.username) }
    }

    func create(_ request: HTTPRequest, _ session: ConsoleSession) async -> HTTPResponse {
        if let refusal = tooManyChanges(session) { return refusal }
        do throws(ConsoleFieldError) {
            var input = try ConsoleChannelInput.parse(try Self.body(request), requireURL: true)
            try checkTags(input)
            if let title = try await checkFolder(input, session) { input.takeFolderTitle(title) }
            try await checkAddress(input.urlHost, session)
            if let name = input.name, !session.isAdmin, leftovers(of: name) {
                // Everything of a channel is found by its name: a new one would inherit the queue,
                // dead letters and recent deliveries of the one deleted, which may be someone else's.
                throw ConsoleFieldError(field: "name", "cards of an earlier channel called \"\(name)\" are still kept here; "
                    + "choose another name, or ask an administrator", status: 409)
            }
            let channel = try await store.create(input, by: context.editor(session), taken: context.fileChannelNames,
                                                 most: session.isAdmin ? nil : context.settings.maxChannelsPerCurator)
            madeChange(session)
            context.logger.info("console channel added", ["user": session.user.username, "channel": channel.name, "host": channel.urlHost])
            return ConsoleResponse.json(201, channel.publicJSON)
        } catch {
            return refusal(error, session)
        }
    }

    /// Whether cards of a channel called `name` are still queued or dead, or were posted since start.
    private func leftovers(of name: String) -> Bool {
        let data = context.service.configuration.dataDirectory
        let kept = ["outbox", "dead"].contains { root in
            !((try? FileManager.default.contentsOfDirectory(atPath: "\(data)/\(root)/\(name)")) ?? []).isEmpty
        }
        return kept || !context.service.status.recentAttempts(channel: name).isEmpty
    }

    func update(_ name: String, _ request: HTTPRequest, _ session: ConsoleSession) async -> HTTPResponse {
        if let refusal = fileChannelRefusal(name) { return refusal }
        if let refusal = tooManyChanges(session) { return refusal }
        do throws(ConsoleFieldError) {
            var input = try ConsoleChannelInput.parse(try Self.body(request), requireURL: false)
            let current = owned(name, session)
            try checkTags(input, keeping: current?.securityTags ?? [])
            // Only a folder other than the channel's is asked about (an API client may send it back
            // unchanged), so a change of URL or events needs no answer from Preservica.
            if input.chosenFolder != current?.folder, let title = try await checkFolder(input, session) {
                input.takeFolderTitle(title)
            } else if !session.isAdmin {
                // The folder is not checked again, so its title is not the page's to change.
                input.keepFolderTitle()
            }
            try await checkAddress(input.urlHost, session)
            let channel = try await store.update(name, input, by: context.editor(session))
            madeChange(session)
            context.logger.info("console channel changed", ["user": session.user.username, "channel": channel.name,
                                                            "version": String(channel.version)])
            return ConsoleResponse.json(200, channel.publicJSON)
        } catch {
            return refusal(error, session)
        }
    }

    /// The answer to a change refused or not saved; one that could not be saved (the disk, a
    /// damaged file) is the operator's to know of too, not only the curator's.
    private func refusal(_ error: ConsoleFieldError, _ session: ConsoleSession) -> HTTPResponse {
        // Not a field's problem (a Preservica folder check that failed is one): the file or the disk.
        if error.status >= 500 && error.field.isEmpty {
            context.logger.repeating(.error, "a console change was not saved", key: "", ["user": session.user.username, "problem": error.message])
        }
        return ConsoleResponse.error(error.status, error.message, field: error.field)
    }

    func delete(_ name: String, _ request: HTTPRequest, _ session: ConsoleSession) async -> HTTPResponse {
        // A console channel the file's shadows may still be deleted by whoever may change it.
        let ownConsoleChannel = store.channels.contains { $0.name == name && context.editor(session).owns($0) }
        if !ownConsoleChannel, let refusal = fileChannelRefusal(name) { return refusal }
        if let refusal = tooManyChanges(session) { return refusal }
        var version: Int?
        if let text = request.queryParameter("version") {
            guard let number = Int(text), number >= 1 else { return ConsoleResponse.error(400, "expected a version number", field: "version") }
            version = number
        }
        do throws(ConsoleFieldError) {
            try await store.delete(name, version: version, by: context.editor(session))
            madeChange(session)
            context.logger.info("console channel removed", ["user": session.user.username, "channel": name])
            return ConsoleResponse.json(200, .object(JSONObject([("deleted", .string(name))])))
        } catch {
            return refusal(error, session)
        }
    }

    func test(_ name: String, _ request: HTTPRequest, _ session: ConsoleSession) async -> HTTPResponse {
        guard let channel = owned(name, session) else { return notYours(name) }
        // Asked again at the moment of posting: a name may resolve elsewhere now than when saved.
        // A URL an administrator gave is theirs to vouch for, as when cards are delivered.
        do throws(ConsoleFieldError) {
            if channel.urlByAdministrator != true { try await checkAddress(channel.urlHost, session) }
        } catch {
            return ConsoleResponse.error(400, error.message, field: error.field)
        }
        var asset: String?
        if !request.body.isEmpty {
            guard let body = (try? JSONParser.parse(request.body))?.objectValue else {
                return ConsoleResponse.error(400, "expected a JSON object such as {\"asset\": \"<reference>\"}")
            }
            if let ref = body["asset"]?.stringValue, !ref.isEmpty {
                guard EntityClient.isReference(ref) else { return ConsoleResponse.error(400, "expected an asset reference", field: "asset") }
                asset = ref
            }
        }
        guard let result = await context.tester.send(channel, assetRef: asset, visibleTags: visibleTags(session),
                                                     receivedTags: context.settings.browseSecurityTags) else {
            return ConsoleResponse.error(404, "no such asset", field: "asset")
        }
        AuditLog(dataDirectory: context.service.configuration.dataDirectory).record("console", [
            ("user", .string(session.user.username)), ("action", .string("test")), ("channel", .string(name)),
            ("delivered", .bool(result.delivered)), ("status", result.status.map { .number(Double($0)) } ?? .null),
        ])
        context.logger.info("console test card", ["user": session.user.username, "channel": name, "delivered": String(result.delivered)])
        // The address takes cards: if it was gone (the flow turned on again), its cards go now.
        if result.delivered { context.service.channelTookCard(name) }
        var answer = JSONObject([
            ("delivered", .bool(result.delivered)), ("message", .string(result.message)),
            ("status", result.status.map { .number(Double($0)) } ?? .null), ("asset", .string(result.assetRef)),
        ])
        if let note = result.note { answer["note"] = .string(note) }
        return ConsoleResponse.json(200, .object(answer))
    }

    /// The card as the HTML picture, on a page of its own (opened in a new tab); a page saying why
    /// when there is none to show.
    func preview(_ name: String, _ request: HTTPRequest, _ session: ConsoleSession) async -> HTTPResponse {
        guard let channel = owned(name, session) else {
            return ConsoleResponse.page(404, "No channel called \"\(name.prefix(64))\" that you may preview.")
        }
        let asset = request.queryParameter("asset").flatMap { $0.isEmpty ? nil : $0 }
        let tester = context.tester
        guard let (_, card, _) = await tester.render(channel, assetRef: asset, visibleTags: visibleTags(session)) else {
            return ConsoleResponse.page(404, "No such asset: check the reference, or choose another asset.")
        }
        let page = CardHTML.page(card, title: "Preview: \(name)", clock: tester.clock)
        // The picture's own stylesheet is inline; it has no script, so allowing inline style only is safe.
        return ConsoleResponse.secured(HTTPResponse(status: 200, headers: ["Content-Type": "text/html; charset=utf-8"], body: Array(page.utf8)),
                                       policy: "default-src 'none'; style-src 'unsafe-inline'; img-src https: data:; frame-ancestors 'none'")
    }

    func deliveries(_ name: String, _ session: ConsoleSession) -> HTTPResponse {
        guard owned(name, session) != nil else { return notYours(name) }
        let recent = context.service.status.recentAttempts(channel: name).map { attempt in
            JSONValue.object(JSONObject([("time", .string(attempt.time)), ("job", .string(attempt.job)),
                                         ("outcome", .string(attempt.outcome)), ("detail", .string(attempt.detail))]))
        }
        let dead = Outbox(dataDirectory: context.service.configuration.dataDirectory).deadJobs().filter { $0.channel == name }.map { job in
            JSONValue.object(JSONObject([("file", .string(job.name)), ("id", .string(job.id)), ("kind", .string(job.kind)),
                                         ("title", .string(job.title)), ("ref", .string(job.ref)), ("createdAt", .string(job.createdAt)),
                                         ("attempts", .number(Double(job.attempts))), ("lastReply", .string(job.lastReply))]))
        }
        return ConsoleResponse.json(200, .object(JSONObject([("recent", .array(recent)), ("dead", .array(dead))])))
    }

    func replay(_ name: String, file: String, _ session: ConsoleSession) -> HTTPResponse {
        guard owned(name, session) != nil else { return notYours(name) }
        let outbox = Outbox(dataDirectory: context.service.configuration.dataDirectory)
        guard let job = outbox.deadJobs().first(where: { $0.channel == name && $0.name == file }) else {
            return ConsoleResponse.error(404, "no such dead letter in this channel", field: "file")
        }
        do {
            try outbox.replay(job)
        } catch {
            return ConsoleResponse.error(503, "the dead letter could not be put back in the queue: \(error)")
        }
        context.service.deliverer.notify(name)
        AuditLog(dataDirectory: context.service.configuration.dataDirectory).record("console", [
            ("user", .string(session.user.username)), ("action", .string("replay")), ("channel", .string(name)), ("job", .string(job.id)),
        ] + (job.ref.isEmpty ? [] : [("entity", .string(job.ref))]))
        return ConsoleResponse.json(200, .object(JSONObject([("replayed", .string(job.id))])))
    }

    /// The session's console channel called `name`; nil also when the file has a channel of that
    /// name (the console's is skipped, and what is kept under the name is the file channel's).
    private func owned(_ name: String, _ session: ConsoleSession) -> ConsoleChannel? {
        guard !context.fileChannelNames.contains(name) else { return nil }
        return store.channels.first { $0.name == name && context.editor(session).owns($0) }
    }

    private func notYours(_ name: String) -> HTTPResponse {
        if let refusal = fileChannelRefusal(name) { return refusal }
        return ConsoleResponse.error(404, "no channel called \"\(name.prefix(64))\" that you may change", field: "name")
    }

    private func fileChannelRefusal(_ name: String) -> HTTPResponse? {
        guard context.fileChannelNames.contains(name) else { return nil }
        return ConsoleResponse.error(403, "this channel comes from the configuration file; an administrator changes it there", field: "name")
    }

    private static func body(_ request: HTTPRequest) throws(ConsoleFieldError) -> JSONValue {
        do {
            return try JSONParser.parse(request.body)
        } catch {
            throw ConsoleFieldError(field: "", "the body is not JSON: \(error)")
        }
    }

    /// A trigger as curators say it.
    static func plainWords(_ trigger: TriggerType) -> String {
        switch trigger {
        case .ingested: "An asset was ingested"
        case .ingestFailed: "An ingest failed"
        case .moved: "Something was moved"
        case .securityChanged: "A security tag changed"
        case .visibilityChanged: "An asset's visibility changed"
        }
    }
}
