/// What a channel's loop knows of its jobs that the outbox could not be told, on a full disk or a
/// failing one: the retry state of a job whose rewrite failed (its attempts and next attempt, so
/// `Retry-After`, the backoff and `maxAttempts` still hold), and the jobs that failed for good
/// but could not be moved to `dead/` (never posted again; moved as soon as the disk allows). The
/// loop goes by this rather than by the stale file until a write succeeds. A reload hands it to the
/// channel's next loop (``UnwrittenJobsStore``); a restart forgets it: the file's older state then
/// counts, as it would have had the rewrite never been tried.
struct UnwrittenJobs: Sendable {
    /// Jobs by file name, as they should have been saved.
    var retries: [String: DeliveryJob] = [:]
    /// Jobs by file name, as they should have been buried, with why.
    var dead: [String: (job: DeliveryJob, reason: String)] = [:]

    /// Whether every write went through.
    var isEmpty: Bool { retries.isEmpty && dead.isEmpty }
}
