/// What a request meets as it arrives, decided under the lock that logs it: a test that has seen
/// the request in ``PreservicaSimulator/requestLog`` knows which faults it met, even if it changes
/// them straight after.
struct SimulatorArrival {
    /// The faults in force as the request arrived.
    let faults: SimulatorFaults
    /// The status this request fails with by a fault (an outage, a failed login, a forced or drawn
    /// Entity API failure), or nil.
    let failure: Int?

    /// Logs `line` in `state` and decides the request's fault; consumes a forced failure (or one
    /// draw of the seeded generator) only for a request it applies to.
    static func arrive(_ line: String, route: SimulatorRoute, method: String, in state: inout SimulatorState) -> SimulatorArrival {
        state.requestLog.append(line)
        let faults = state.faults
        switch route {
        case .login, .refresh:
            if let outage = faults.outageStatus { return SimulatorArrival(faults: faults, failure: outage) }
            guard state.failNextLogins.count > 0 else { return SimulatorArrival(faults: faults, failure: nil) }
            state.failNextLogins.count -= 1
            return SimulatorArrival(faults: faults, failure: state.failNextLogins.status)
        case .userDetails:
            return SimulatorArrival(faults: faults, failure: faults.outageStatus)
        case .entity:
            if let outage = faults.outageStatus { return SimulatorArrival(faults: faults, failure: outage) }
            // A wrong method is refused before any fault is drawn.
            return SimulatorArrival(faults: faults, failure: method == "GET" ? state.injectedFailure() : nil)
        case .subscriptions, .subscription, .unknown:
            return SimulatorArrival(faults: faults, failure: nil)
        }
    }
}
