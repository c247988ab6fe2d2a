import Synchronization

/// Runs reloads one after another: a SIGHUP and a console save arriving together must not both
/// stop the same pipeline and each start a new one.
final class ReloadSequence: Sendable {
    private let last = Mutex<Task<Void, Never>?>(nil)

    /// Runs `body` after every reload already queued, and returns when it has finished.
    func run(_ body: @escaping @Sendable () async -> Void) async {
        let task = last.withLock { (current: inout Task<Void, Never>?) -> Task<Void, Never> in
            let before = current
            let next = Task {
                await before?.value
                await body()
            }
            current = next
            return next
        }
        await task.value
    }
}
