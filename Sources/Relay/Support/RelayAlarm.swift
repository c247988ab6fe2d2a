/// An alarm set on a ``RelayClock``: it calls its action once at its deadline, unless cancelled
/// first. Cancelling after it has gone off does nothing, and an alarm already going off when it
/// is cancelled may still call its action: an action must tell a late call from a current one
/// (``Wakeup`` counts its waits for that).
struct RelayAlarm: Sendable {
    private let cancelAction: @Sendable () -> Void

    init(cancel: @escaping @Sendable () -> Void) {
        cancelAction = cancel
    }

    /// Stops it going off, if it has not yet.
    func cancel() { cancelAction() }
}
