import Foundation
import Synchronization

/// How far the pipeline has taken what the journal holds: the question an invocation asks before
/// it answers, because a frozen Lambda environment does no work between invocations.
///
/// Done means the worker's cursor has reached the journal's last record, and no card queued from
/// those records waits in the outbox with an attempt due before the end of the wait (a card whose
/// next attempt is later cannot go out in this invocation anyway).
final class LambdaDeliveryProgress: Sendable {
    /// Where the pipeline stands at one moment.
    struct Snapshot: Sendable, Equatable {
        /// The journal's last sequence.
        var journalEnd: UInt64
        /// The worker's cursor.
        var taken: UInt64
        /// Cards from those records still in the outbox.
        var waiting: Int
        /// Of those, cards whose next attempt is due before the end of the wait.
        var due: Int

        /// Nothing more can be done before the end of the wait.
        var isSettled: Bool { taken >= journalEnd && due == 0 }
    }

    private let reader: Mutex<JournalReader>
    private let lastSequence = Mutex<UInt64>(0)
    private let cursor: IncomingCursor
    private let outbox: Outbox
    private let channels: [String]

    /// Progress over the spool in `dataDirectory` for the channels named.
    init(dataDirectory: String, channels: [String]) {
        reader = Mutex(JournalReader(directory: dataDirectory + "/incoming"))
        cursor = IncomingCursor(directory: dataDirectory + "/incoming")
        outbox = Outbox(dataDirectory: dataDirectory)
        self.channels = channels
    }

    /// The pipeline's state, counting as due the cards whose next attempt is before `endMs`.
    func snapshot(endMs: Int64) -> Snapshot {
        // The reader only reads what was appended since its last call, so this stays cheap as the journal grows.
        let newest = reader.withLock { $0.readNew().map(\.sequence).max() }
        let journalEnd = lastSequence.withLock { last in
            if let newest { last = max(last, newest) }
            return last
        }
        let jobs = channels.flatMap { outbox.pending(channel: $0) }.filter { Self.sequence(of: $0) <= journalEnd }
        return Snapshot(journalEnd: journalEnd, taken: (try? cursor.read()) ?? 0, waiting: jobs.count,
                        due: jobs.filter { $0.nextAttemptAt < endMs }.count)
    }

    /// Polls until the pipeline is settled or the wall clock reaches `endMs` (milliseconds since 1970).
    func wait(until endMs: Int64) async -> Snapshot {
        while true {
            let now = Self.nowMs()
            let state = snapshot(endMs: endMs)
            if state.isSettled || now >= endMs { return state }
            // Short sleeps: a card usually goes out within tens of milliseconds of being queued.
            try? await Task.sleep(for: .milliseconds(min(50, max(1, endMs - now))))
        }
    }

    /// The current time in milliseconds since 1970, the unit of `Lambda-Runtime-Deadline-Ms`.
    static func nowMs() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    /// The journal sequence a job's file name starts with (`000000000007-0000.json`).
    static func sequence(of job: DeliveryJob) -> UInt64 {
        UInt64(job.name.prefix { $0.isASCII && $0.isNumber }) ?? 0
    }
}
