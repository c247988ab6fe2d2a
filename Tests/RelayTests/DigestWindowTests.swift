import Foundation
import JSON
import Synchronization
import Testing
import TestSupport
@testable import Relay

/// Digest windows on a clock the test moves: a window closes exactly at its deadline and its
/// assets fold into one card.
@Suite("Digest windows on a manual clock")
struct DigestWindowTests {
    private let digest = DigestSettings(window: .seconds(60), threshold: 3)

    @Test("the window closes exactly at first arrival + window: not a millisecond before")
    func closesAtTheDeadline() throws {
        let rig = try DelivererRig(channel: DelivererRig.webhook(digest: digest))
        let opened = rig.clock.nowMs
        try rig.plan(assets: 2)
        rig.clock.advance(by: .seconds(10))
        try rig.plan(assets: 2, sequence: 2)
        #expect(rig.planner.digestDue(channel: "hook") == opened + 60_000, "the window runs from the first asset")
        rig.clock.advance(by: .milliseconds(49_999))
        #expect(try rig.planner.flushDigest(channel: "hook", now: rig.clock.nowMs).flushed == false)
        #expect(rig.pending.isEmpty)
        rig.clock.advance(by: .milliseconds(1))
        #expect(try rig.planner.flushDigest(channel: "hook", now: rig.clock.nowMs).flushed)
        let jobs = rig.pending
        #expect(jobs.count == 1)
        #expect(jobs.first?.kind == "digest")
        #expect(jobs.first?.title == "digest of 4 assets")
        #expect(rig.planner.digestDue(channel: "hook") == nil, "the buffer is empty again")
    }

    @Test("the deliverer sleeps until the window closes and posts one card for the whole window")
    func deliveredAsOneCard() async throws {
        let rig = try DelivererRig(channel: DelivererRig.webhook(digest: digest))
        try rig.plan(assets: 5)
        try await rig.running {
            while rig.transport.count == 0 {
                #expect(await eventually { rig.transport.count > 0 || rig.clock.sleepers == 1 })
                if rig.transport.count == 0 { rig.clock.advanceToNextWake() }
                #expect(rig.clock.elapsed <= .seconds(60), "still nothing posted at the deadline")
                if rig.clock.elapsed > .seconds(60) { break }
            }
            #expect(rig.clock.elapsed == .seconds(60), "posted when the window closed")
            #expect(await eventually { rig.pending.isEmpty })
        }
        #expect(rig.transport.count == 1)
        #expect(rig.transport.bodies.first?.contains("\"count\":5") == true)
    }

    @Test("assets gathered by an older relay, whose models lack the texts derived since, get them in the digest and in single cards", arguments: [5, 2])
    func olderModels(assets: Int) throws {
        let rig = try DelivererRig(channel: DelivererRig.webhook(digest: digest))
        try rig.plan(assets: assets)
        let buffer = try #require(DigestBuffer.all(outbox: rig.directory + "/outbox", channel: "hook").first)
        // As an older relay wrote them: the same lines without the derived texts.
        var old = ""
        for line in try String(contentsOfFile: buffer.path, encoding: .utf8).split(separator: "\n") {
            var object = try #require(JSONParser.parse(Array(line.utf8)).objectValue)
            var model = try #require(object["model"]?.objectValue)
            var asset = try #require(model["asset"]?.objectValue)
            for key in ["movedFromText", "securityTagText", "rowText"] { asset[key] = nil }
            model["asset"] = .object(asset)
            object["model"] = .object(model)
            old += JSONWriter.string(.object(object)) + "\n"
        }
        #expect(!old.contains("rowText"))
        try old.write(toFile: buffer.path, atomically: true, encoding: .utf8)
        rig.clock.advance(by: .seconds(60))
        #expect(try rig.planner.flushDigest(channel: "hook", now: rig.clock.nowMs).flushed)
        let jobs = rig.pending
        #expect(jobs.count == (assets >= 3 ? 1 : assets))
        for job in jobs {
            let payload = JSONWriter.string(job.payload)
            #expect(payload.components(separatedBy: "\"rowText\"").count - 1 == (assets >= 3 ? assets : 1), "\(payload)")
            #expect(payload.contains("\"securityTagText\":\"open\""), "\(payload)")
        }
    }

    /// A kill part way through an append leaves a line without its end; the same notification is
    /// planned again after the restart and its line must not be glued to that piece and lost.
    @Test("a line cut short by a crash does not take the next asset with it")
    func tornLine() throws {
        let rig = try DelivererRig(channel: DelivererRig.webhook(digest: digest))
        try rig.plan(assets: 2)
        let buffer = try #require(DigestBuffer.all(outbox: rig.directory + "/outbox", channel: "hook").first)
        let file = try #require(FileHandle(forWritingAtPath: buffer.path))
        try file.seekToEnd()
        try file.write(contentsOf: Data(#"{"seq":2,"event":0,"receivedMs":17"#.utf8))
        try file.close()
        try rig.plan(assets: 2, sequence: 2)
        #expect(buffer.items().map(\.sequence) == [1, 1, 2, 2])
        rig.clock.advance(by: .seconds(60))
        #expect(try rig.planner.flushDigest(channel: "hook", now: rig.clock.nowMs).flushed)
        #expect(rig.pending.map(\.title) == ["digest of 4 assets"])
    }

    /// A fold writes the digest, then removes the cards it holds one by one: a kill in between
    /// leaves some of them, which must not go out besides the digest that carries them.
    @Test("cards a folded digest holds, left behind by a kill during the fold, are not posted besides it")
    func foldCutShort() async throws {
        let rig = try DelivererRig(channel: DelivererRig.webhook(digest: DigestSettings(window: .seconds(60), threshold: 3, foldAfter: .seconds(300))))
        try rig.plan(assets: 2)
        rig.clock.advance(by: .seconds(60))
        #expect(try rig.planner.flushDigest(channel: "hook", now: rig.clock.nowMs).flushed)
        try rig.plan(assets: 2, sequence: 2)
        rig.clock.advance(by: .seconds(60))
        #expect(try rig.planner.flushDigest(channel: "hook", now: rig.clock.nowMs).flushed)
        let singles = rig.pending
        #expect(singles.count == 4)
        let kept = try singles.prefix(2).map { job in
            (job.name, try Data(contentsOf: URL(fileURLWithPath: "\(rig.directory)/outbox/hook/\(job.name)")))
        }
        rig.clock.advance(by: .seconds(300))
        #expect(try rig.planner.foldBacklog(channel: "hook", now: rig.clock.now()))
        // The kill: two of the four removals never happened.
        for (name, bytes) in kept { try bytes.write(to: URL(fileURLWithPath: "\(rig.directory)/outbox/hook/\(name)")) }
        try await rig.running {
            #expect(await eventually { rig.pending.isEmpty })
        }
        #expect(rig.transport.count == 1, "posted \(rig.transport.count): the digest and the cards it holds")
    }

    /// Three windows below the threshold leave their cards waiting as singles, ingests and moves
    /// mixed; a move first or in the middle.
    @Test("a backlog fold takes the ingests together and leaves the moves as they were: no digest calls a move an ingest",
          arguments: [["FULL_TEXT_INDEXED", "MOVED", "FULL_TEXT_INDEXED"], ["MOVED", "FULL_TEXT_INDEXED", "FULL_TEXT_INDEXED"]])
    func foldKeepsTriggersApart(order: [String]) throws {
        let rig = try DelivererRig(channel: DelivererRig.webhook(digest: DigestSettings(window: .seconds(60), threshold: 3, foldAfter: .seconds(300))))
        for (index, trigger) in order.enumerated() {
            try rig.plan(assets: 2, sequence: UInt64(index + 1), trigger: trigger)
            rig.clock.advance(by: .seconds(60))
            #expect(try rig.planner.flushDigest(channel: "hook", now: rig.clock.nowMs).flushed)
        }
        #expect(rig.pending.count == 6)
        rig.clock.advance(by: .seconds(300))
        #expect(try rig.planner.foldBacklog(channel: "hook", now: rig.clock.now()))
        let jobs = rig.pending
        let trigger = { (job: DeliveryJob) in job.model?.objectValue?["event"]?.objectValue?["trigger"]?.stringValue }
        let digest = try #require(jobs.first { $0.kind == "digest" })
        #expect(digest.folded.count == 4, "the four ingests")
        #expect(digest.payload.objectValue?["event"]?.objectValue?["trigger"]?.stringValue == "FULL_TEXT_INDEXED")
        #expect(jobs.filter { $0.kind == "asset" }.map(trigger) == ["MOVED", "MOVED"], "the moves wait as they were")
        // The two moves are below the threshold: nothing more to fold, and the fold rests.
        #expect(try rig.planner.foldBacklog(channel: "hook", now: rig.clock.now()) == false)
        try rig.plan(assets: 2, sequence: 4, trigger: "MOVED")
        rig.clock.advance(by: .seconds(60))
        #expect(try rig.planner.flushDigest(channel: "hook", now: rig.clock.nowMs).flushed)
        #expect(try rig.planner.foldBacklog(channel: "hook", now: rig.clock.now()) == false, "resting: four moves, but within foldAfter of the last look")
        rig.clock.advance(by: .seconds(300))
        #expect(try rig.planner.foldBacklog(channel: "hook", now: rig.clock.now()), "the four moves fold once the rest is over")
    }

    @Test("a digest window whose first asset lies in the future (the wall clock stepped back) closes at once, not days later")
    func clockSteppedBack() throws {
        let rig = try DelivererRig(channel: DelivererRig.webhook(digest: digest))
        try rig.plan(assets: 3)
        rig.clock.stepWall(by: .seconds(-2 * 86_400))
        let due = try #require(rig.planner.digestDue(channel: "hook"))
        #expect(due <= rig.clock.nowMs, "due now, not in two days")
        #expect(try rig.planner.flushDigest(channel: "hook", now: rig.clock.nowMs).flushed)
        #expect(rig.pending.map(\.title) == ["digest of 3 assets"])
    }

    @Test("a digest buffer with no line that can be read is moved to corrupt/ at its flush, not emptied as if it held nothing")
    func damagedBuffer() throws {
        let rig = try DelivererRig(channel: DelivererRig.webhook(digest: digest))
        try rig.plan(assets: 3)
        let buffer = try #require(DigestBuffer.all(outbox: rig.directory + "/outbox", channel: "hook").first)
        let damaged = Data("\u{0}\u{0}\u{0}garbage\n{\"seq\":".utf8)
        try damaged.write(to: URL(fileURLWithPath: buffer.path))
        #expect(try #require(rig.planner.digestDue(channel: "hook")) <= rig.clock.nowMs, "due at once, not waiting unseen")
        #expect(try rig.planner.flushDigest(channel: "hook", now: rig.clock.nowMs).flushed == false)
        #expect(rig.pending.isEmpty)
        #expect(!FileManager.default.fileExists(atPath: buffer.path))
        let corrupt = try FileManager.default.contentsOfDirectory(atPath: rig.directory + "/corrupt")
        #expect(corrupt.count == 1 && corrupt.first?.hasSuffix("digest-FULL_TEXT_INDEXED.jsonl") == true, "\(corrupt)")
        #expect(FileManager.default.contents(atPath: rig.directory + "/corrupt/" + (corrupt.first ?? "")) == damaged)
        #expect(AuditLog(dataDirectory: rig.directory).lines().contains { $0.contains(#""step":"corrupt""#) && $0.contains("digest-") })
    }

    @Test("a buffer with a line that cannot be read among good ones is folded from the good ones, and a copy is kept in corrupt/")
    func unreadableLineKept() throws {
        let rig = try DelivererRig(channel: DelivererRig.webhook(digest: digest))
        try rig.plan(assets: 3)
        let buffer = try #require(DigestBuffer.all(outbox: rig.directory + "/outbox", channel: "hook").first)
        var lines = try String(contentsOfFile: buffer.path, encoding: .utf8).split(separator: "\n").map(String.init)
        lines.insert("{\"seq\":1,\"event\":9,\"model\":{\"asset\":", at: 1)
        try (lines.joined(separator: "\n") + "\n").write(toFile: buffer.path, atomically: true, encoding: .utf8)
        rig.clock.advance(by: .seconds(60))
        #expect(try rig.planner.flushDigest(channel: "hook", now: rig.clock.nowMs).flushed)
        #expect(rig.pending.map(\.title) == ["digest of 3 assets"])
        let corrupt = try FileManager.default.contentsOfDirectory(atPath: rig.directory + "/corrupt")
        #expect(corrupt.count == 1 && corrupt.first?.contains("digest-FULL_TEXT_INDEXED.jsonl") == true, "\(corrupt)")
        #expect(!FileManager.default.fileExists(atPath: buffer.path))
    }

    @Test("a digest waits while a hold still lists one of its assets, and goes once it does not")
    func digestWaitsForAHold() throws {
        let rig = try DelivererRig(channel: DelivererRig.webhook(digest: digest))
        try rig.plan(assets: 3)
        rig.clock.advance(by: .seconds(60))
        #expect(try rig.planner.flushDigest(channel: "hook", now: rig.clock.nowMs, withheld: { $0 == 1 && $1 == 2 }).flushed == false)
        #expect(rig.pending.isEmpty)
        #expect(try rig.planner.flushDigest(channel: "hook", now: rig.clock.nowMs, withheld: { _, _ in false }).flushed)
        #expect(rig.pending.map(\.title) == ["digest of 3 assets"])
    }

    @Test("assets gathered for a digest are sent as cards after a reload takes the channel's digest away")
    func digestTakenAway() throws {
        let rig = try DelivererRig(channel: DelivererRig.webhook(digest: digest))
        try rig.plan(assets: 2)
        var configuration = RelayConfiguration(dataDirectory: rig.directory, webhookSecrets: [])
        configuration.channels = [DelivererRig.webhook()]
        configuration.routes = [RouteSettings(channels: ["hook"])]
        let reloaded = CardPlanner(configuration: configuration, logger: .silent, clock: rig.clock)
        #expect(reloaded.digestDue(channel: "hook") != nil, "the gathered assets are still due")
        #expect(try reloaded.flushDigest(channel: "hook", now: rig.clock.nowMs).flushed)
        #expect(rig.pending.count == 2)
        #expect(reloaded.digestDue(channel: "hook") == nil)
    }

    /// Planned again 30 s later, the window still closes 60 s after the first time: the deliverer
    /// wakes by the first line, and a window read from the later copy would not yet be due then.
    @Test("a notification planned again after a restart counts each of its assets once, and its window runs from the first time")
    func plannedTwice() throws {
        let rig = try DelivererRig(channel: DelivererRig.webhook(digest: digest))
        try rig.plan(assets: 3)
        rig.clock.advance(by: .seconds(30))
        try rig.plan(assets: 3)
        rig.clock.advance(by: .seconds(30))
        #expect(try rig.planner.flushDigest(channel: "hook", now: rig.clock.nowMs).flushed)
        #expect(rig.pending.map(\.title) == ["digest of 3 assets"])
    }

    @Test("below the threshold the window's assets go out as single cards, in order")
    func fewBecomeSingles() async throws {
        let rig = try DelivererRig(channel: DelivererRig.webhook(digest: digest))
        try rig.plan(assets: 2)
        rig.clock.advance(by: .seconds(60))
        #expect(try rig.planner.flushDigest(channel: "hook", now: rig.clock.nowMs).flushed)
        #expect(rig.pending.map(\.kind) == ["asset", "asset"])
        #expect(rig.pending.map(\.ref) == ["ref-0", "ref-1"])
    }

    @Test("a digest waits while it holds an asset of a notification the worker's cursor has not passed")
    func waitsForTheCursor() async throws {
        let released = Atomic<UInt64>(1)
        let rig = try DelivererRig(channel: DelivererRig.webhook(digest: DigestSettings(window: .seconds(3), threshold: 2, maxItems: 10)),
                                   released: { released.load(ordering: .relaxed) })
        try rig.plan(assets: 1, sequence: 1)
        try rig.plan(assets: 1, sequence: 2)
        // Planned but not durable: a crash now would plan notification 2 again.
        #expect(try rig.planner.flushDigest(channel: "hook", now: rig.clock.nowMs + 4_000, released: 1) == .init(flushed: false, waiting: true))
        try await rig.running {
            #expect(await eventually { rig.clock.nextWake == .seconds(3) })
            rig.clock.advance(by: .seconds(4))
            // The loop finds the window closed, sees notification 2 unreleased, and waits 200 ms.
            #expect(await eventually { rig.clock.nextWake == .milliseconds(200) })
            #expect(rig.transport.count == 0)
            released.store(2, ordering: .relaxed)
            rig.clock.advance(by: .milliseconds(200))
            #expect(await eventually { rig.transport.count == 1 })
        }
    }
}
