import Testing
import Foundation
import Preservica
import Relay
import PreservicaSimulator
import TestSupport
import Synchronization

/// The Preservica client against the simulator over loopback HTTP.
@Suite("Preservica client against the simulator")
struct PreservicaClientTests {
    typealias Refs = SimulatorRepository.SampleRefs

    private func withSimulator(
        _ configuration: SimulatorConfiguration = SimulatorConfiguration(password: "pw"),
        _ body: (PreservicaSimulator, EntityClient) async throws -> Void
    ) async throws {
        let simulator = PreservicaSimulator(configuration: configuration)
        try simulator.start()
        let connection = try PreservicaConnection(
            credentials: PreservicaCredentials(server: simulator.baseURL, username: configuration.username,
                                               password: configuration.password, tenant: configuration.tenant),
            maxConcurrentRequests: 4, timeout: .seconds(5), retries: 3)
        do {
            try await body(simulator, EntityClient(connection: connection))
        } catch {
            await simulator.stop()
            throw error
        }
        await simulator.stop()
    }

    @Test("a volume of 250 pages: the files of the first 100 content objects are read, the rest counted, and the card says more")
    func contentObjectCap() async throws {
        var repository = SimulatorRepository.sample
        let volume = "0badc0de-0000-4000-8000-0000000b0011"
        repository.assets.append(SimulatedAsset(ref: volume, title: "Volume", parent: Refs.letters, representations: [
            SimulatedRepresentation(type: "Preservation", contentObjects: (0..<250).map { page in
                SimulatedContentObject(ref: String(format: "0badc0de-0000-4000-8000-%012d", 500 + page), title: "page \(page)", generations: [
                    SimulatedGeneration(bitstreams: [SimulatedBitstream(filename: "page-\(page).tif", size: 1_000, sha256: String(repeating: "b", count: 64))]),
                ])
            }),
        ]))
        let simulator = PreservicaSimulator(configuration: SimulatorConfiguration(password: "pw", repository: repository))
        try simulator.start()
        let connection = try PreservicaConnection(credentials: PreservicaCredentials(
            server: simulator.baseURL, username: simulator.configuration.username, password: "pw", tenant: simulator.configuration.tenant))
        let enriched = await EntityClient(connection: connection, maxContentObjects: 100).enrich(volume)
        let generationCalls = simulator.requestLog.filter { $0.hasSuffix("/generations") }.count
        await simulator.stop()
        #expect(enriched.bitstreams.count == 100)
        #expect(enriched.bitstreams.first?.filename == "page-0.tif", "the first pages, in Preservica's order")
        #expect(enriched.contentObjects == 250 && enriched.unlistedContentObjects == 150)
        #expect(enriched.problems.isEmpty, "a limit is no failure: \(enriched.problems)")
        #expect(!enriched.unavailable, "a limit is no reason to hold the event")
        #expect(generationCalls == 100, "only the content objects read are asked about: \(generationCalls)")
        let notification = WebhookNotification(subscriptionId: "s", timestamp: "2026-12-01T00:00:00Z", tenant: "T", version: "7.7",
                                               trigger: "FULL_TEXT_INDEXED", events: [WebhookEvent(event: "e", entityType: "IO", entityRef: volume)])
        let model = TemplateData.event(notification, notification.events[0], asset: enriched, links: EntityLinks(base: "https://p.example"))
        let asset = model.objectValue?["asset"]?.objectValue
        #expect(asset?["filesText"] == .string("100+ files · 100.0 KB+"))
        #expect(asset?["contentObjectCount"] == .number(250) && asset?["unlistedContentObjects"] == .number(150))
        #expect(asset?["totalSizeText"] == .string("100.0 KB+"), "a digest's item shows its size with the + too")
        let digest = TemplateData.digest(of: [model], maxItems: 5, from: "2026-12-01T00:00:00Z", to: "2026-12-01T00:00:00Z")
        #expect(digest.objectValue?["digest"]?.objectValue?["filesText"] == .string("100+ files · 100.0 KB+"))
        #expect(digest.objectValue?["digest"]?.objectValue?["totalSizeText"] == .string("100.0 KB+"))
        #expect(TemplateData.filesText(count: 0, bytes: 0, more: true) == "files not read")
    }

    @Test("a representation that cannot be read costs its own files: the others are listed, and a failure that may pass holds")
    func representationUnread() async throws {
        for (status, unavailable) in [(404, false), (503, true)] {
            try await withSimulator { simulator, entities in
                simulator.breakRepresentation(of: Refs.letterAsset, type: "Access", status: status)
                let enriched = await entities.enrich(Refs.letterAsset)
                #expect(enriched.bitstreams.map(\.filename) == ["brev-1884.jp2"], "\(status)")
                #expect(enriched.unlistedContentObjects >= 1 && enriched.unlistedContentObjects <= enriched.contentObjects,
                        "\(enriched.unlistedContentObjects) of \(enriched.contentObjects)")
                #expect(enriched.problems.count == 1 && enriched.problems[0].hasPrefix("bitstreams of 1 of 2 representations"), "\(enriched.problems)")
                #expect(enriched.unavailable == unavailable)
            }
        }
    }

    @Test("an asset is enriched with its folder path, identifiers and the bitstreams of active generations only")
    func enrichment() async throws {
        try await withSimulator { simulator, entities in
            let enriched = await entities.enrich(Refs.letterAsset)
            #expect(enriched.problems.isEmpty)
            #expect(!enriched.notFound)
            #expect(enriched.asset?.title == "Bjørnson: brev til Åse, 1884")
            #expect(enriched.asset?.securityTag == "open")
            #expect(enriched.path.map(\.title) == ["Collections", "Letters & Correspondence", "Bjørnson family papers"])
            #expect(enriched.bitstreams.map(\.filename) == ["brev-1884.jp2", "brev-1884.jpg"])
            #expect(enriched.bitstreams.map(\.size) == [18_874_368, 1_048_576])
            #expect(enriched.bitstreams.map(\.representation) == ["Preservation", "Access"])
            #expect(enriched.bitstreams.first?.fixity.first?.algorithm == "SHA256")
            #expect(enriched.identifiers.contains { $0.type == "code" && $0.value == "BJ-1884-017" })
            #expect(simulator.requestLog.contains("GET /api/entity/information-objects/\(Refs.letterAsset)"))
        }
    }

    @Test("identifiers over several pages are all read, following Paging/Next")
    func pagedIdentifiers() async throws {
        try await withSimulator { simulator, entities in
            let ref = "5a0e6c1d-0000-4000-8000-00000000a250"
            let identifiers = (1...250).map { SimulatedIdentifier(type: "code", value: "ID-\($0)") }
            simulator.add(SimulatedAsset(ref: ref, title: "Many identifiers", parent: Refs.letters, identifiers: identifiers))
            simulator.clearRequestLog()
            let read = try await entities.identifiers(ref)
            #expect(read.count == 250)
            #expect(read.first?.value == "ID-1" && read.last?.value == "ID-250")
            #expect(Set(read.map(\.value)).count == 250)
            #expect(simulator.requestLog.filter { $0.hasSuffix("/identifiers") }.count == 3)
        }
    }

    @Test("the same asset reads the same under the 6.10, 7.7 and 8.1 namespaces", arguments: ["6.10", "7.7", "8.1"])
    func namespaces(version: String) async throws {
        try await withSimulator(SimulatorConfiguration(version: version, password: "pw")) { _, entities in
            let reported = try await entities.version()
            #expect(reported.hasPrefix(version))
            let enriched = await entities.enrich(Refs.letterAsset)
            #expect(enriched.problems.isEmpty)
            #expect(enriched.bitstreams.count == 2)
            #expect(enriched.path.count == 3)
        }
    }

    @Test("an asset with many bitstreams, a closed one, and one without representations")
    func variety() async throws {
        try await withSimulator { _, entities in
            #expect(await entities.enrich(Refs.albumAsset).bitstreams.count == 28)
            #expect(await entities.enrich(Refs.closedAsset).asset?.securityTag == "closed")
            let physical = await entities.enrich(Refs.physicalAsset)
            #expect(physical.bitstreams.isEmpty)
            #expect(physical.problems.isEmpty)
        }
    }

    @Test("an unknown asset is flagged not found, so the card can still go out")
    func notFound() async throws {
        try await withSimulator { _, entities in
            let enriched = await entities.enrich(Refs.unknown)
            #expect(enriched.notFound)
            #expect(enriched.asset == nil)
        }
    }

    @Test("tokens expiring in the middle of a walk cost one new login and no failure")
    func tokenExpiry() async throws {
        try await withSimulator { simulator, entities in
            _ = try await entities.asset(Refs.letterAsset)
            simulator.expireAllTokens()
            let enriched = await entities.enrich(Refs.albumAsset)
            #expect(enriched.problems.isEmpty)
            #expect(enriched.bitstreams.count == 28)
            #expect(await entities.connection.session.loginCount == 2)
        }
    }

    @Test("503 answers are retried until the call succeeds")
    func retries() async throws {
        try await withSimulator { simulator, entities in
            simulator.failNextCalls(2, status: 503)
            let enriched = await entities.enrich(Refs.letterAsset)
            #expect(enriched.problems.isEmpty)
            #expect(enriched.asset?.title == "Bjørnson: brev til Åse, 1884")
        }
    }

    @Test("a login answered 502 or 503 (the gateway while Preservica restarts) is retried like any other call")
    func loginRetries() async throws {
        try await withSimulator { simulator, entities in
            simulator.failNextLogins(2, status: 502)
            let asset = try await entities.asset(Refs.letterAsset)
            #expect(asset.title == "Bjørnson: brev til Åse, 1884")
            // The same in the middle of a walk, when the token expired.
            simulator.expireAllTokens()
            simulator.failNextLogins(1, status: 503)
            #expect(await entities.enrich(Refs.albumAsset).problems.isEmpty)
        }
    }

    @Test("one content object that cannot be read costs its own files only: the others are listed, and the problem is named")
    func partialBitstreams() async throws {
        try await withSimulator { simulator, entities in
            let album = simulator.repository.assets.first { $0.ref == Refs.albumAsset }!
            let broken = album.representations[0].contentObjects[1].ref
            // Deleted between the representation's list and its walk: the card goes out with the rest.
            simulator.breakContentObject(broken, status: 404)
            let gone = await entities.enrich(Refs.albumAsset)
            #expect(gone.bitstreams.count == 21)
            #expect(!gone.unavailable)
            #expect(gone.problems.contains { $0.contains("1 of 4 content objects") }, "\(gone.problems)")
            // A storage node failing: the rest is kept and the asset is asked about again later.
            simulator.breakContentObject(broken, status: 503)
            let failing = await entities.enrich(Refs.albumAsset)
            #expect(failing.bitstreams.count == 21)
            #expect(failing.unavailable)
        }
    }

    @Test("a server that keeps failing ends in a listed problem, not a hang")
    func persistentFailure() async throws {
        try await withSimulator { simulator, entities in
            simulator.failNextCalls(1000, status: 500)
            let enriched = await entities.enrich(Refs.letterAsset)
            #expect(enriched.asset == nil)
            #expect(enriched.problems.first?.contains("500") == true)
        }
    }

    /// Preservica can lock an account after a few failed logins: a password that expired or was
    /// rotated must not be tried again for every lookup and every held event's retry.
    @Test("a refused login is not tried again for every call: one login while the wait lasts, then one more, each wait longer")
    func refusedLoginWaits() async throws {
        let simulator = PreservicaSimulator(configuration: SimulatorConfiguration(password: "right"))
        try simulator.start()
        defer { Task { await simulator.stop() } }
        let elapsed = Mutex(Duration.zero)
        let start = ContinuousClock.now
        /// A connection as a reload builds one, on the test's clock.
        func connect(password: String) throws -> PreservicaConnection {
            try PreservicaConnection(credentials: PreservicaCredentials(server: simulator.baseURL, username: "admin", password: password, tenant: "DEMO"),
                                     now: { start + elapsed.withLock { $0 } })
        }
        let connection = try connect(password: "wrong-password")
        let entities = EntityClient(connection: connection)
        func logins() -> Int { simulator.requestLog.filter { $0.contains("/api/accesstoken/login") }.count }
        func tryAgain(after wait: Duration) async {
            elapsed.withLock { $0 += wait }
            _ = try? await connection.session.token()
        }
        for ref in [Refs.letterAsset, Refs.albumAsset, Refs.letterAsset] {
            let enriched = await entities.enrich(ref)
            #expect(enriched.problems.contains { $0.contains("refused the login") }, "\(enriched.problems)")
        }
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<20 { group.addTask { _ = try? await connection.session.token() } }
        }
        #expect(logins() == 1, "one login while the wait lasts, not one per call")
        await tryAgain(after: .seconds(119))
        #expect(logins() == 1)
        // After the wait (2 minutes), one more try; each wait after that twice as long, at most 15 minutes.
        await tryAgain(after: .seconds(1))
        #expect(logins() == 2)
        await tryAgain(after: .seconds(239))
        #expect(logins() == 2)
        await tryAgain(after: .seconds(1))
        #expect(logins() == 3)
        await tryAgain(after: .seconds(480))
        #expect(logins() == 4)
        await tryAgain(after: .seconds(900))
        #expect(logins() == 5)
        await tryAgain(after: .seconds(899))
        #expect(logins() == 5, "15 minutes at most, then no longer")
        await tryAgain(after: .seconds(1))
        #expect(logins() == 6)
        // A reload builds a new session: with the same credentials it waits too; new ones log in at once.
        _ = try? await connect(password: "wrong-password").session.token()
        #expect(logins() == 6)
        #expect(try await connect(password: "right").session.token().isEmpty == false)
        #expect(logins() == 7)
    }

    @Test("the token is refreshed in its last minute, not logged in again; within its life it is used as it is")
    func refreshBeforeExpiry() async throws {
        try await withSimulator { simulator, _ in
            let elapsed = Mutex(Duration.zero)
            let start = ContinuousClock.now
            let connection = try PreservicaConnection(credentials: PreservicaCredentials(server: simulator.baseURL, username: "admin",
                                                                                         password: "pw", tenant: "DEMO"),
                                                      now: { start + elapsed.withLock { $0 } })
            func calls(_ path: String) -> Int { simulator.requestLog.filter { $0.contains(path) }.count }
            let first = try await connection.session.token()
            elapsed.withLock { $0 = .seconds(13 * 60) }
            #expect(try await connection.session.token() == first)
            #expect(calls("/api/accesstoken/login") == 1 && calls("/api/accesstoken/refresh") == 0)
            // 15 minutes' validity: with 30 s left it is refreshed, and the new token is used.
            elapsed.withLock { $0 = .seconds(14 * 60 + 30) }
            let refreshed = try await connection.session.token()
            #expect(refreshed != first)
            #expect(calls("/api/accesstoken/login") == 1 && calls("/api/accesstoken/refresh") == 1)
            #expect(try await EntityClient(connection: connection).asset(Refs.letterAsset).title.contains("Bjørnson"))
        }
    }

    @Test("a wrong password is a clear error that does not repeat the password")
    func badLogin() async throws {
        let simulator = PreservicaSimulator(configuration: SimulatorConfiguration(password: "right"))
        try simulator.start()
        defer { Task { await simulator.stop() } }
        let connection = try PreservicaConnection(credentials: PreservicaCredentials(server: simulator.baseURL, username: "admin",
                                                                                     password: "wrong-password", tenant: "DEMO"))
        do {
            _ = try await EntityClient(connection: connection).asset(Refs.letterAsset)
            Issue.record("expected a refused login")
        } catch {
            #expect("\(error)".contains("refused the login"))
            #expect(!"\(error)".contains("wrong-password"))
        }
    }
}
