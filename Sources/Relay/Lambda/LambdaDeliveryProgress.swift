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
    /// Each waiting job's next attempt by path, with the file's identity when it was read: a job
    /// is rewritten by renaming a new file over it, so an unchanged identity means an unchanged
    /// job. At every poll a backlog of hundreds of cards is then looked at, not read and parsed.
    private let schedule = Mutex<[String: (identity: FileIdentity, next: Int64)]>([:])

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
        var attempts: [Int64] = []
        var seen = Set<String>()
        for channel in channels {
            for file in outbox.waitingFiles(channel: channel) where Self.sequence(ofFile: file) <= journalEnd {
                let path = outbox.outbox + "/" + channel + "/" + file
                // Gone since the listing (delivered): not waiting.
                guard let identity = FileIdentity(path: path) else { continue }
                seen.insert(path)
                if let known = schedule.withLock({ $0[path] }), known.identity == identity {
                    attempts.append(known.next)
                } else if let job = outbox.waiting(channel: channel, file: file) {
                    schedule.withLock { $0[path] = (identity, job.nextAttemptAt) }
                    attempts.append(job.nextAttemptAt)
                }
            }
        }
        schedule.withLock { known in known = known.filter { seen.contains($0.key) } }
        return Snapshot(journalEnd: journalEnd, taken: (try? cursor.read()) ?? 0, waiting: attempts.count,
                        due: attempts.filter { $0 < endMs }.count)
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
    static func sequence(ofFile name: String) -> UInt64 {
        UInt64(name.prefix { $0.isASCII && $0.isNumber }) ?? 0
    }
}
