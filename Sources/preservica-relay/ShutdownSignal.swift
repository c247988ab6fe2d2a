import Foundation
import Dispatch

/// SIGTERM, SIGINT and SIGHUP as a stream of names, without letting any of them kill the process.
/// Take the stream before saying the process is ready: from the call on, the signals no longer
/// act by default, and one that arrives before the stream is read waits in it.
enum ProcessSignals {
    /// The signals as they arrive: "SIGTERM", "SIGINT", "SIGHUP".
    static func stream() -> AsyncStream<String> {
        let (stream, continuation) = AsyncStream.makeStream(of: String.self)
        for (number, name) in [(SIGTERM, "SIGTERM"), (SIGINT, "SIGINT"), (SIGHUP, "SIGHUP")] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { @Sendable in continuation.yield(name) }
            source.resume()
            Sources.keep(source)
        }
        return stream
    }

    /// Keeps signal sources alive for the life of the process.
    private enum Sources {
        nonisolated(unsafe) static var all: [any DispatchSourceSignal] = []
        static func keep(_ source: any DispatchSourceSignal) { all.append(source) }
    }
}
