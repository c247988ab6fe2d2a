import Synchronization

/// The configuration in force and the pipeline built from it, swapped together on a reload.
final class RunningPipeline: Sendable {
    private let state: Mutex<(configuration: RelayConfiguration, pipeline: RelayPipeline)>

    init(configuration: RelayConfiguration, pipeline: RelayPipeline) {
        state = Mutex((configuration, pipeline))
    }

    func withLock<T>(_ body: (inout (configuration: RelayConfiguration, pipeline: RelayPipeline)) -> T) -> T {
        state.withLock { body(&$0) }
    }
}
