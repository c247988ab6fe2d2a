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

    func record(_ line: String) {
        state.withLock { $0.requestLog.append(line) }
    }
}
