import Synchronization

/// A count shared between a test and the tasks it starts.
final class Tally: Sendable {
    private let count = Atomic<Int>(0)

    /// The count so far.
    var value: Int { count.load(ordering: .sequentiallyConsistent) }

    /// Adds one.
    func increment() { count.add(1, ordering: .sequentiallyConsistent) }
}
