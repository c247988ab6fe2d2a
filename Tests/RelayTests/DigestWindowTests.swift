import Foundation
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
        #expect(try rig.planner.flushDigest(channel: "hook", now: rig.clock.nowMs) == false)
        #expect(rig.pending.isEmpty)
        rig.clock.advance(by: .milliseconds(1))
        #expect(try rig.planner.flushDigest(channel: "hook", now: rig.clock.nowMs))
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

    @Test("below the threshold the window's assets go out as single cards, in order")
    func fewBecomeSingles() async throws {
        let rig = try DelivererRig(channel: DelivererRig.webhook(digest: digest))
        try rig.plan(assets: 2)
        rig.clock.advance(by: .seconds(60))
        #expect(try rig.planner.flushDigest(channel: "hook", now: rig.clock.nowMs))
        #expect(rig.pending.map(\.kind) == ["asset", "asset"])
        #expect(rig.pending.map(\.ref) == ["ref-0", "ref-1"])
    }
}
