import Synchronization

/// The simulator's configuration and state, shared by the request handler and the public facade.
final class SimulatorCore: Sendable {
    let configuration: SimulatorConfiguration
    let state: Mutex<SimulatorState>

    init(configuration: SimulatorConfiguration) {
        self.configuration = configuration
        state = Mutex(SimulatorState(configuration: configuration))
    }

    /// `http://host:port` once started.
    var baseURL: String {
        let port = state.withLock { $0.port }
        let host = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
        return "http://\(host):\(port)"
    }

    var faults: SimulatorFaults { state.withLock { $0.faults } }
    var index: RepositoryIndex { state.withLock { $0.index } }

    /// Logs a request and decides the faults it meets, under one lock (``SimulatorArrival``).
    func arrive(_ line: String, route: SimulatorRoute, method: String) -> SimulatorArrival {
        state.withLock { SimulatorArrival.arrive(line, route: route, method: method, in: &$0) }
    }
}
