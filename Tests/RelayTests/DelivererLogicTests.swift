import Foundation
import JSON
import Synchronization
import Testing
import TestSupport
@testable import Relay

/// The deliverer's decisions, on a clock the test moves and a chat service in memory.
@Suite("Deliverer logic on a manual clock")
struct DelivererLogicTests {
    @Test("retries back off exponentially: with the jitter at its top the waits are 1, 2, 4, 8, 16 s, each exactly slept")
    func exponentialBackoff() async throws {
        let rig = try DelivererRig(channel: DelivererRig.webhook(), script: Array(repeating: .reply(500), count: 5),
                                   backoff: RetryBackoff(pick: { $0.upperBound }))
        try rig.queue(1)
        try await rig.running {
            for attempt in 1...5 {
                #expect(await rig.settled(posts: attempt))
                let job = try #require(rig.pending.first)
                let expected = Int64(1000) << (attempt - 1)
                #expect(job.attempts == attempt)
                #expect(job.nextAttemptAt - rig.clock.nowMs == expected)
                #expect(rig.clock.advanceToNextWake() == .milliseconds(expected), "the channel sleeps until the job is due")
            }
            #expect(await eventually { rig.pending.isEmpty })
        }
        #expect(rig.transport.count == 6)
    }

    @Test("the jitter picks from zero up to base × 2^(attempts-1), capped at 5 minutes")
    func jitterBounds() {
        let backoff = RetryBackoff()
        #expect((1...12).map { backoff.ceilingMs(afterAttempts: $0) }
                == [1000, 2000, 4000, 8000, 16_000, 32_000, 64_000, 128_000, 256_000, 300_000, 300_000, 300_000])
        #expect(backoff.ceilingMs(afterAttempts: 1000) == 300_000)
        for attempts in [1, 3, 9, 40] {
            let waits = (0..<500).map { _ in backoff.waitMs(afterAttempts: attempts, retryAfter: nil) }
            #expect(waits.allSatisfy { (0...backoff.ceilingMs(afterAttempts: attempts)).contains($0) })
            #expect(Set(waits).count > 1, "the wait is random")
        }
        #expect(RetryBackoff(pick: { $0.lowerBound }).waitMs(afterAttempts: 1, retryAfter: nil) == 0)
    }

    @Test("Retry-After is honoured even when the jitter picks zero: nothing is posted before it, the retry at it")
    func retryAfter() async throws {
        let rig = try DelivererRig(channel: DelivererRig.webhook(), script: [.reply(429, headers: ["retry-after": "7"])],
                                   backoff: RetryBackoff(pick: { $0.lowerBound }))
        try rig.queue(1)
        try await rig.running {
            #expect(await rig.settled(posts: 1))
            let job = try #require(rig.pending.first)
            #expect(job.nextAttemptAt - rig.clock.nowMs == 7000)
            rig.clock.advance(by: .milliseconds(6999))
            #expect(rig.clock.sleepers == 1 && rig.transport.count == 1, "still waiting 1 ms before Retry-After")
            rig.clock.advance(by: .milliseconds(1))
            #expect(await eventually { rig.pending.isEmpty })
        }
        #expect(rig.transport.count == 2)
    }

    /// Throttling says "later", not "no": a burst that a service throttles for a while (Teams,
    /// Slack, a Google Chat space several apps share) must not send its cards to dead/ while
    /// every answer is 429. `maxAge` still bounds it.
    @Test("a 429 does not use up one of maxAttempts: a card throttled more often than that still goes out")
    func throttlingIsNotFailing() async throws {
        let rig = try DelivererRig(channel: DelivererRig.webhook(maxAttempts: 2),
                                   script: Array(repeating: .reply(429, headers: ["retry-after": "1"]), count: 4),
                                   backoff: RetryBackoff(pick: { $0.lowerBound }))
        try rig.queue(1)
        try await rig.running {
            for posts in 1...4 {
                #expect(await rig.settled(posts: posts))
                #expect(rig.pending.first?.attempts == 0, "a throttled attempt is not counted")
                rig.clock.advance(by: .seconds(1))
            }
            #expect(await eventually { rig.pending.isEmpty })
        }
        #expect(rig.transport.count == 5)
        #expect(rig.outbox.deadJobs().isEmpty)
    }

    @Test("the Teams connector's 200 reporting HTTP error 429 is throttling too: counted apart, kept on disk, and not one of maxAttempts")
    func connectorThrottling() async throws {
        var channel = ChannelSettings(name: "hook", type: .teamsConnector, url: Secret("https://example.webhook.office.com/webhookb2/x"))
        channel.maxAttempts = 2
        let throttled = ScriptedTransport.Answer.reply(200, body: "Microsoft Teams endpoint returned HTTP error 429 with ContextId tcid=0")
        let rig = try DelivererRig(channel: channel, script: Array(repeating: throttled, count: 3) + [.reply(200, body: "1")],
                                   backoff: RetryBackoff(pick: { $0.upperBound }))
        try rig.queue(1)
        try await rig.running {
            for posts in 1...3 {
                #expect(await rig.settled(posts: posts))
                let job = try #require(rig.pending.first)
                #expect(job.attempts == 0 && job.throttles == posts, "read back from the outbox")
                // The backoff still grows with each throttled attempt: 1, 2, 4 s at the jitter's top.
                #expect(job.nextAttemptAt - rig.clock.nowMs == Int64(1000) << (posts - 1))
                rig.clock.advanceToNextWake()
            }
            #expect(await eventually { rig.pending.isEmpty })
        }
        #expect(rig.transport.count == 4)
        #expect(rig.outbox.deadJobs().isEmpty)
    }

    @Test("a retry whose job cannot be rewritten (a full disk) still waits its Retry-After and counts its attempts")
    func retryWhenTheJobCannotBeSaved() async throws {
        let rig = try DelivererRig(channel: DelivererRig.webhook(maxAttempts: 3), otherwise: .reply(503, headers: ["retry-after": "60"]),
                                   backoff: RetryBackoff(pick: { $0.lowerBound }))
        try rig.queue(1)
        // The job's rewrite goes through `<name>.tmp`: a directory there makes every rewrite fail.
        let job = try #require(rig.pending.first)
        try FileManager.default.createDirectory(atPath: "\(rig.directory)/outbox/hook/\(job.name).tmp", withIntermediateDirectories: true)
        try await rig.running {
            #expect(await rig.settled(posts: 1))
            rig.clock.advance(by: .seconds(59))
            #expect(await rig.settled(posts: 1), "posted again before Retry-After: \(rig.transport.count)")
            rig.clock.advance(by: .seconds(1))
            #expect(await rig.settled(posts: 2))
            rig.clock.advance(by: .seconds(60))
            // The third attempt is the last: it goes to dead/ (written elsewhere), not round again.
            #expect(await eventually { !rig.outbox.deadJobs().isEmpty })
        }
        #expect(rig.transport.count == 3)
    }

    @Test("a card refused for good that cannot be moved to dead/ is not posted again while it waits to be moved")
    func buryFailureDoesNotRepost() async throws {
        let rig = try DelivererRig(channel: DelivererRig.webhook(), otherwise: .reply(404), backoff: RetryBackoff(pick: { $0.lowerBound }))
        try rig.queue(1)
        let job = try #require(rig.pending.first)
        let blocker = "\(rig.directory)/dead/hook/\(job.name).tmp"
        try FileManager.default.createDirectory(atPath: blocker, withIntermediateDirectories: true)
        let audit = { ((try? String(contentsOfFile: rig.directory + "/audit.log", encoding: .utf8)) ?? "").components(separatedBy: "\"step\":\"dead\"").count - 1 }
        try await rig.running {
            #expect(await rig.settled(posts: 1))
            rig.clock.advance(by: .seconds(10))
            #expect(await rig.settled(posts: 1), "posted again: \(rig.transport.count)")
            #expect(audit() == 0, "not recorded as dead before it is in dead/")
            // Room again: the card is moved at the next look, and still not posted again.
            try FileManager.default.removeItem(atPath: blocker)
            rig.clock.advance(by: .seconds(10))
            #expect(await eventually { !rig.outbox.deadJobs().isEmpty && rig.pending.isEmpty })
        }
        #expect(rig.transport.count == 1)
        #expect(audit() == 1, "recorded once, when moved")
    }

    @Test("a reload hands on what could not be written: a retry keeps its Retry-After, a card refused for good is not posted again")
    func reloadKeepsUnwrittenJobs() async throws {
        let rig = try DelivererRig(channel: DelivererRig.webhook(), script: [.reply(429, headers: ["retry-after": "60"]), .reply(404)],
                                   backoff: RetryBackoff(pick: { $0.lowerBound }))
        try rig.queue(1)
        let job = try #require(rig.pending.first)
        // Neither the job's rewrite nor its move to dead/ can be written.
        try FileManager.default.createDirectory(atPath: "\(rig.directory)/outbox/hook/\(job.name).tmp", withIntermediateDirectories: true)
        let blocker = "\(rig.directory)/dead/hook/\(job.name).tmp"
        try FileManager.default.createDirectory(atPath: blocker, withIntermediateDirectories: true)
        try await rig.running {
            #expect(await rig.settled(posts: 1))
        }
        try await rig.running(rig.reloaded()) {
            rig.clock.advance(by: .seconds(59))
            #expect(await rig.settled(posts: 1), "posted again after the reload before Retry-After: \(rig.transport.count)")
            rig.clock.advance(by: .seconds(1))
            #expect(await rig.settled(posts: 2), "the retry at its Retry-After, refused for good")
        }
        try await rig.running(rig.reloaded()) {
            rig.clock.advance(by: .seconds(10))
            #expect(await rig.settled(posts: 2), "posted again after the reload: \(rig.transport.count)")
            try FileManager.default.removeItem(atPath: blocker)
            rig.clock.advance(by: .seconds(10))
            #expect(await eventually { !rig.outbox.deadJobs().isEmpty })
        }
        #expect(rig.transport.count == 2)
    }

    @Test("a held event's card waits while its hold still lists it (a crash would plan it again), and goes once it does not")
    func heldEventWaitsForItsHold() async throws {
        let listed = Mutex(true)
        let rig = try DelivererRig(channel: DelivererRig.webhook(), withheld: { sequence, event in
            sequence == 1 && event == 0 && listed.withLock { $0 }
        })
        try rig.queue(1)
        try rig.queue(2)
        try await rig.running {
            // Card 1 (event 0 of notification 1) waits, however often the loop looks, and card 2
            // behind it, as the channel keeps its order.
            #expect(await rig.settled(posts: 0))
            rig.clock.advance(by: .seconds(5))
            #expect(await rig.settled(posts: 0))
            #expect(rig.pending.count == 2)
            listed.withLock { $0 = false }
            rig.clock.advance(by: .seconds(1))
            #expect(await eventually { rig.pending.isEmpty })
        }
        #expect(rig.transport.count == 2)
    }

    @Test("a card made for another service before a reload changed the channel's type goes to dead/ with why, never posted")
    func madeForAnotherType() async throws {
        let rig = try DelivererRig(channel: DelivererRig.webhook())
        var job = DeliveryJob(id: "job-1", name: "000000000001-0000.json", channel: "hook", kind: "asset", event: "1/0#ref",
                              createdAt: Timestamp.iso8601(rig.clock.now()), payload: .object(JSONObject([("text", .string("for Slack"))])))
        job.target = "slack"
        try rig.outbox.save(job)
        try rig.queue(2)
        try await rig.running {
            #expect(await eventually { !rig.outbox.deadJobs().isEmpty && rig.pending.isEmpty })
        }
        #expect(rig.outbox.deadJobs().first?.lastReply.contains("type changed to webhook") == true)
        #expect(rig.transport.count == 1, "only the card made for this service")
    }

    /// A curator whose Teams flow is gone moves the channel to Slack: the cards that waited were
    /// made for Teams, and are made again for Slack from the model each kept.
    @Test("a card made for another service before the channel's type changed is made again from its model and posted")
    func remadeForTheNewType() async throws {
        let rig = try DelivererRig(channel: DelivererRig.webhook())
        try rig.plan(assets: 1)
        var job = try #require(rig.pending.first)
        #expect(job.model != nil, "the job keeps its model")
        job.target = "teams"
        job.payload = .object(JSONObject([("type", .string("message")), ("attachments", .array([]))]))
        try rig.outbox.save(job)
        try await rig.running {
            #expect(await rig.settled(posts: 1))
        }
        #expect(rig.outbox.deadJobs().isEmpty)
        #expect(rig.pending.isEmpty)
        let body = try #require(rig.transport.bodies.first)
        #expect(!body.contains("attachments") && body.contains("ref-0"), "\(body)")
    }

    @Test("a job goes to dead/ after maxAttempts, with the last reply")
    func deadAfterMaxAttempts() async throws {
        let rig = try DelivererRig(channel: DelivererRig.webhook(maxAttempts: 3), otherwise: .reply(503, body: "flow disabled"),
                                   backoff: RetryBackoff(pick: { $0.lowerBound }))
        try rig.queue(1)
        try await rig.running {
            #expect(await eventually { !rig.outbox.deadJobs().isEmpty })
        }
        let dead = try #require(rig.outbox.deadJobs().first)
        #expect(dead.attempts == 3)
        #expect(dead.lastReply.contains("gave up after 3 attempt(s)"))
        // The service's own words are kept with it.
        #expect(dead.lastReply.contains("flow disabled"), "\(dead.lastReply)")
        #expect(rig.transport.count == 3)
        #expect(rig.pending.isEmpty)
    }

    @Test("a job older than maxAge goes to dead/ at its next failure, however few its attempts")
    func deadAfterMaxAge() async throws {
        let rig = try DelivererRig(channel: DelivererRig.webhook(maxAttempts: 100, maxAge: .seconds(60)), otherwise: .unreachable,
                                   backoff: RetryBackoff(pick: { $0.upperBound }))
        try rig.queue(1)
        try await rig.running {
            #expect(await rig.settled(posts: 1))
            #expect(rig.outbox.deadJobs().isEmpty, "young enough to retry")
            rig.clock.advance(by: .seconds(61))
            #expect(await eventually { !rig.outbox.deadJobs().isEmpty })
        }
        let dead = try #require(rig.outbox.deadJobs().first)
        #expect(dead.attempts == 2)
        #expect(dead.lastReply.contains("cannot reach chat.example"))
    }

    /// An operator fixes a channel the day after its card died and replays it; the first post
    /// after that meets a passing 503. Counted from the card's making, it was past maxAge and
    /// went straight back to dead/ after that one attempt.
    @Test("a card put back from dead/ counts maxAge from the replay, so a passing failure does not bury it again")
    func replayedOldCard() async throws {
        let rig = try DelivererRig(channel: DelivererRig.webhook(maxAttempts: 100, maxAge: .seconds(60)), otherwise: .unreachable,
                                   backoff: RetryBackoff(pick: { $0.upperBound }))
        try rig.queue(1)
        try await rig.running {
            #expect(await rig.settled(posts: 1))
            rig.clock.advance(by: .seconds(61))
            #expect(await eventually { !rig.outbox.deadJobs().isEmpty })
        }
        let dead = try #require(rig.outbox.deadJobs().first)
        rig.clock.advance(by: .seconds(86_400))
        try rig.outbox.replay(dead, at: rig.clock.now())
        try await rig.running {
            #expect(await rig.settled(posts: 3))
            #expect(rig.outbox.deadJobs().isEmpty, "buried again after one attempt")
            #expect(rig.pending.count == 1)
        }
    }

    @Test("a job whose next attempt lies days ahead (the wall clock stepped back) is tried now, not slept on")
    func clockSteppedBack() async throws {
        let rig = try DelivererRig(channel: DelivererRig.webhook(), script: [.reply(500)],
                                   backoff: RetryBackoff(pick: { $0.upperBound }))
        try rig.queue(1)
        try await rig.running {
            #expect(await rig.settled(posts: 1))
            rig.clock.stepWall(by: .seconds(-3 * 86_400))
            rig.deliverer.notify("hook")
            #expect(await eventually { rig.pending.isEmpty })
        }
        #expect(rig.transport.count == 2)
        #expect(rig.clock.elapsed == .zero, "no time passed on the monotonic clock")
    }

    @Test("a channel keeps its order: the cards behind a retried one wait for it")
    func orderKept() async throws {
        let rig = try DelivererRig(channel: DelivererRig.webhook(), script: [.reply(500)],
                                   backoff: RetryBackoff(pick: { $0.upperBound }))
        for number in 1...3 { try rig.queue(number) }
        try await rig.running {
            #expect(await rig.settled(posts: 1))
            #expect(rig.pending.count == 3)
            rig.clock.advanceToNextWake()
            #expect(await eventually { rig.pending.isEmpty })
        }
        #expect(rig.transport.bodies == [#"{"n":1}"#, #"{"n":1}"#, #"{"n":2}"#, #"{"n":3}"#])
    }

    @Test("a gone address waits across a reload: nothing until the hour is up, then one try, then two hours; cards kept through it are not given up for its length")
    func goneAcrossReload() async throws {
        let rig = try DelivererRig(channel: DelivererRig.webhook(maxAge: .seconds(3_600)),
                                   script: [.reply(410), .reply(410), .reply(200), .reply(503), .reply(200)],
                                   backoff: RetryBackoff(pick: { $0.lowerBound }))
        try rig.queue(1)
        try rig.queue(2)
        try await rig.running {
            #expect(await rig.settled(posts: 1))
        }
        // A reload (a console save) does not post to the gone address again.
        try await rig.running(rig.reloaded()) {
            rig.clock.advance(by: .seconds(3_599))
            #expect(await rig.settled(posts: 1), "posted before the hour: \(rig.transport.count)")
            rig.clock.advance(by: .seconds(1))
            #expect(await rig.settled(posts: 2), "one try after the hour")
            rig.clock.advance(by: .seconds(7_199))
            #expect(await rig.settled(posts: 2), "the next wait is two hours")
            rig.clock.advance(by: .seconds(1))
            // Card 1 goes; card 2, three hours old with maxAge 1 h, meets a 503 and is retried, not given up.
            #expect(await eventually { rig.transport.count == 5 && rig.pending.isEmpty })
        }
        #expect(rig.outbox.deadJobs().isEmpty)
    }


    /// README: a renamed channel's cards stay in `outbox/<old name>/`; moving them into the new
    /// name's directory is what an operator does.
    @Test("a job moved by hand from another channel's directory is posted once and removed from where it lies")
    func movedByHand() async throws {
        let rig = try DelivererRig(channel: DelivererRig.webhook())
        try rig.outbox.save(DeliveryJob(id: "job-1", name: "000000000001-0000.json", channel: "old", kind: "asset", event: "1/0#ref",
                                        createdAt: Timestamp.iso8601(rig.clock.now()), nextAttemptAt: 0,
                                        payload: .object(JSONObject([("n", .number(1))]))))
        try FileManager.default.moveItem(atPath: rig.directory + "/outbox/old/000000000001-0000.json",
                                         toPath: rig.directory + "/outbox/hook/000000000001-0000.json")
        try await rig.running {
            #expect(await rig.settled(posts: 1))
            #expect(rig.pending.isEmpty)
        }
        #expect(rig.transport.count == 1)
        #expect((try? FileManager.default.contentsOfDirectory(atPath: rig.directory + "/outbox/old"))?.isEmpty ?? true)
    }


    @Test("the first try after a gone wait that meets a 503 counts the card's age from then: it is retried, not given up for the wait")
    func goneThenServerError() async throws {
        let rig = try DelivererRig(channel: DelivererRig.webhook(maxAge: .seconds(1_800)), script: [.reply(410), .reply(503), .reply(200)],
                                   backoff: RetryBackoff(pick: { $0.lowerBound }))
        try rig.queue(1)
        try await rig.running {
            #expect(await rig.settled(posts: 1))
            rig.clock.advance(by: .seconds(3_600))
            #expect(await eventually { rig.transport.count == 3 && rig.pending.isEmpty })
        }
        #expect(rig.outbox.deadJobs().isEmpty)
    }

}
