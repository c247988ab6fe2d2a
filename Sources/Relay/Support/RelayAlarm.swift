/// An alarm set on a ``RelayClock``: it calls its action once at its deadline, unless cancelled
/// first. Cancelling after it has gone off does nothing.
struct RelayAlarm: Sendable {
    private let cancelAction: @Sendable () -> Void

    init(cancel: @escaping @Sendable () -> Void) {
        cancelAction = cancel
    }

    /// Stops it going off, if it has not yet.
    func cancel() { cancelAction() }
}
