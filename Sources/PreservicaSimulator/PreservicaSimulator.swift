import Foundation
import HTTPServer

/// A Preservica double over real HTTP: the Access Token API, the Entity API (XML), and the Webhook
/// API with the challenge handshake and signed notifications. It shares no code with the client.
public final class PreservicaSimulator: Sendable {
    private let core: SimulatorCore
    private let server: HTTPServer

    /// Creates a simulator; nothing listens until ``start()``.
    public init(configuration: SimulatorConfiguration = SimulatorConfiguration()) {
        core = SimulatorCore(configuration: configuration)
        server = HTTPServer(configuration: .init(host: configuration.host, port: configuration.port),
                            handler: SimulatorDispatcher(core: core))
    }

    /// The configuration it was created with.
    public var configuration: SimulatorConfiguration { core.configuration }

    /// Binds and starts serving; returns the bound port.
    @discardableResult
    public func start() throws -> Int {
        let port = try server.start()
        core.state.withLock { $0.port = port }
        return port
    }

    /// Stops serving, letting requests in progress finish for up to two seconds.
    public func stop() async {
        await server.stop(gracePeriod: .seconds(2))
    }

    /// `http://host:port`, known once started.
    public var baseURL: String { core.baseURL }

    /// Makes every access and refresh token invalid at once, as an early expiry would.
    public func expireAllTokens() {
        core.state.withLock { $0.tokens.expireAll() }
    }

    /// The next `count` Entity API calls are answered with `status` (e.g. 503) instead of their answer.
    public func failNextCalls(_ count: Int, status: Int = 503) {
        core.state.withLock { $0.failNext = (max(0, count), status) }
    }

    /// From now on the content object `ref` answers `status` for itself, its generations and its
    /// bitstreams, while its asset's representation still lists it: deleted while a client walks
    /// the asset (404), or a storage node that fails (503). `nil` mends it.
    public func breakContentObject(_ ref: String, status: Int?) {
        core.state.withLock { $0.brokenContentObjects[ref] = status }
    }

    /// From now on the representation `type` (`Preservation`, `Access`) of the asset `ref`
    /// answers `status` for its own document, while the asset still lists it: removed while a
    /// client walks the asset (404), or failing (503). `nil` mends it.
    public func breakRepresentation(of ref: String, type: String, status: Int?) {
        core.state.withLock { $0.brokenRepresentations[ref + "/" + type] = status }
    }

    /// From now on the folder `ref` answers `status` (e.g. 503) when read itself; its children
    /// and the assets in it still answer. `nil` mends it.
    public func breakFolder(_ ref: String, status: Int?) {
        core.state.withLock { $0.brokenFolders[ref] = status }
    }

    /// The next `count` logins and token refreshes are answered with `status` (e.g. a 502 from the
    /// gateway while Preservica restarts) instead of a token.
    public func failNextLogins(_ count: Int, status: Int = 503) {
        core.state.withLock { $0.failNextLogins = (max(0, count), status) }
    }

    /// From now on `username` (in the simulator's own tenant unless `tenant` says otherwise) signs in
    /// only with `password`, as after a password rotation. Tokens already issued are left alone;
    /// ``expireAllTokens()`` ends them.
    public func changePassword(of username: String, tenant: String? = nil, to password: String) {
        let key = username + "\u{1F}" + (tenant ?? configuration.tenant)
        core.state.withLock { $0.changedPasswords[key] = password }
    }

    /// Replaces the faults in force; the error generator restarts from the new seed.
    public func setFaults(_ faults: SimulatorFaults) {
        core.state.withLock {
            $0.faults = faults
            $0.generator = SeededGenerator(seed: faults.seed)
        }
    }

    /// Changes the repository the simulator serves, as a curator working in Preservica would (move
    /// an asset to another folder, change its security tag); later Entity API calls see the change.
    public func changeRepository(_ change: (inout SimulatorRepository) -> Void) {
        core.state.withLock { state in
            var repository = state.index.repository
            change(&repository)
            state.index = RepositoryIndex(repository)
        }
    }

    /// One line per request received, `"GET /api/entity/information-objects/<ref>"` (path without query).
    public var requestLog: [String] { core.state.withLock { $0.requestLog } }

    /// Empties ``requestLog``.
    public func clearRequestLog() {
        core.state.withLock { $0.requestLog.removeAll() }
    }

    /// The subscriptions created through the Webhook API, oldest first.
    public var subscriptions: [SimulatedSubscription] { core.state.withLock { $0.subscriptions } }

    /// The repository as currently served.
    public var repository: SimulatorRepository { core.index.repository }

    /// Adds an asset, or replaces the one with the same ref, while running (a new ingest).
    public func add(_ asset: SimulatedAsset) {
        core.state.withLock { $0.index = $0.index.adding(asset) }
    }

    /// Deletes an asset while running: its lookups answer 404 from now on, and
    /// `entities/updated-since` lists it as deleted at `modified` (`yyyy-MM-ddTHH:mm:ss`, UTC).
    public func delete(asset ref: String, at modified: String) {
        core.state.withLock { $0.index = $0.index.deleting(asset: ref, at: modified) }
    }

    /// POSTs signed notifications for `refs` to every subscription whose trigger is `trigger`,
    /// `eventsPerPost` events per POST, and returns each receiver's HTTP status in sending order.
    /// Events carry the asset's identifiers when the subscription asked for them. Without
    /// `entityType`, each event's type follows the repository: a folder's ref makes an `SO` event
    /// (a failed deposit package, a moved folder), any other ref an `IO` event. The
    /// `badSignature` and `duplicateNotifications` faults apply here.
    public func notify(trigger: String, refs: [String], entityType: String? = nil, eventsPerPost: Int? = nil) async throws -> [Int] {
        let (targets, faults, index) = core.state.withLock { state in
            (state.subscriptions.filter { $0.triggerType == trigger }, state.faults, state.index)
        }
        let perPost = max(1, eventsPerPost ?? refs.count)
        let batches = stride(from: 0, to: refs.count, by: perPost).map { Array(refs[$0..<min(refs.count, $0 + perPost)]) }
        var statuses: [Int] = []
        for subscription in targets {
            guard let url = URL(string: subscription.url) else { continue }
            for batch in batches {
                let events = batch.map { ref in
                    NotificationEvent(event: NotificationEvent.name(for: trigger),
                                      entityType: entityType ?? (index.folders[ref] != nil ? "SO" : "IO"), entityRef: ref,
                                      identifiers: subscription.includeIdentifiers ? index.assets[ref]?.identifiers ?? [] : [])
                }
                let body = NotificationBody.make(subscriptionId: subscription.id, tenant: configuration.tenant,
                                                 version: configuration.version, trigger: trigger, events: events)
                let key = faults.badSignature ? "wrong-" + subscription.secret : subscription.secret
                let signature = NotificationSender.signature(body: body, secret: key)
                for _ in 0..<(faults.duplicateNotifications ? 2 : 1) {
                    let reply = try await NotificationSender.post(body, to: url, signature: signature,
                                                                  chunked: configuration.chunkedNotifications)
                    statuses.append(reply.status)
                }
            }
        }
        return statuses
    }
}
