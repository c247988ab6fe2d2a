import Synchronization

/// How far the incoming worker has planned, for the deliverer, which is made before the worker.
final class WorkerProgress: Sendable {
    private let box = Mutex<IncomingWorker?>(nil)

    /// The worker, set once it exists.
    var worker: IncomingWorker? {
        get { box.withLock { $0 } }
        set { box.withLock { $0 = newValue } }
    }

    /// The last journal sequence the worker has finished planning; 0 until the worker exists.
    var lastTaken: UInt64 { worker?.lastTaken ?? 0 }

    /// Whether the event is still listed in a hold; true until the worker exists, since its holds
    /// are not loaded yet.
    func withholds(sequence: UInt64, event: Int) -> Bool { worker?.withholds(sequence: sequence, event: event) ?? true }
}
