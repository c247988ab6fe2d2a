import Synchronization

/// Runs the relay's long-running parts (a pipeline's loops, a catch-up) as child tasks of one task
/// group. The group lives from the first ``add(_:)`` until ``shutdown()``, which cancels every child
/// and returns when all have ended; an `add` after that starts a new group.
final class TaskSupervisor: Sendable {
    private typealias Work = @Sendable () async -> Void

    private struct Group {
        let work: AsyncStream<Work>.Continuation
        let ended: Latch
    }

    private let current = Mutex<Group?>(nil)

    init() {}

    /// Runs `work` as a child of the group; it should return when its task is cancelled.
    func add(_ work: @escaping @Sendable () async -> Void) {
        current.withLock { group in
            // Under the lock, so a shutdown cannot close the group between its choice and the yield.
            if group == nil { group = Self.launch() }
            group?.work.yield(work)
        }
    }

    /// Cancels every child and returns when all have ended.
    func shutdown() async {
        let group = current.withLock { group in
            defer { group = nil }
            group?.work.finish()
            return group
        }
        await group?.ended.wait()
    }

    private static func launch() -> Group {
        let (stream, continuation) = AsyncStream.makeStream(of: Work.self)
        let ended = Latch()
        // The one task that hosts the group: every long-running part is its child.
        Task {
            await withDiscardingTaskGroup { group in
                for await work in stream { group.addTask { await work() } }
                group.cancelAll()
            }
            ended.open()
        }
        return Group(work: continuation, ended: ended)
    }
}
