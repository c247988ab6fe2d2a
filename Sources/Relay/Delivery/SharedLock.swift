import Foundation

/// A lock that every copy of a struct holding it shares.
final class SharedLock: @unchecked Sendable {
    private let lock = NSLock()

    /// Runs `body` while holding the lock.
    func run<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }
}
