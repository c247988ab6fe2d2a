import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// An HTTP/1.1 server on nonblocking POSIX sockets driven by Dispatch sources.
///
/// It is meant to face the internet behind a TLS proxy: strict parsing, byte limits and
/// timeouts on every connection, a cap on open connections (more wait in the kernel backlog),
/// and a graceful stop that finishes the requests in progress.
public final class HTTPServer: @unchecked Sendable {
    /// Where to listen and what to enforce.
    public struct Configuration: Sendable {
        /// Host to bind: an IPv4 or IPv6 literal (no brackets) or a name.
        public var host: String
        /// Port to bind; 0 picks a free one (see ``HTTPServer/port``).
        public var port: Int
        /// Limits and timeouts.
        public var limits: HTTPServerLimits
        /// Length of the kernel's accept queue.
        public var backlog: Int32

        /// Creates a configuration.
        public init(host: String = "127.0.0.1", port: Int = 0, limits: HTTPServerLimits = HTTPServerLimits(),
                    backlog: Int32 = 1024) {
            self.host = host
            self.port = port
            self.limits = limits
            self.backlog = backlog
        }
    }

    private let configuration: Configuration
    private let handler: any HTTPHandler
    private let queue = DispatchQueue(label: "http.accept")
    private let connectionTarget = DispatchQueue(label: "http.connections", attributes: .concurrent)
    private let boundPort = Atomic<Int>(0)

    // Touched only on `queue`.
    private var listener: Int32 = -1
    private var acceptSource: DispatchSourceRead?
    private var sweepTimer: DispatchSourceTimer?
    private var acceptSuspended = false
    private var connections: [ObjectIdentifier: HTTPConnection] = [:]
    private var stopping = false
    private var drainWaiters: [CheckedContinuation<Void, Never>] = []

    /// Creates a server; nothing is bound until ``start()``.
    public init(configuration: Configuration, handler: any HTTPHandler) {
        self.configuration = configuration
        self.handler = handler
    }

    /// The bound port, known once ``start()`` returned.
    public var port: Int { boundPort.load(ordering: .acquiring) }

    /// Number of open connections.
    public var connectionCount: Int { queue.sync { connections.count } }

    /// Binds, listens and starts accepting. Returns the bound port.
    @discardableResult
    public func start() throws -> Int {
        signal(SIGPIPE, SIG_IGN)
        let fd = try Socket.listen(host: configuration.host, port: configuration.port, backlog: configuration.backlog)
        let port = Socket.localPort(fd)
        boundPort.store(port, ordering: .releasing)
        queue.sync {
            listener = fd
            let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
            source.setEventHandler { @Sendable [self] in acceptAvailable() }
            source.setCancelHandler { @Sendable in Glibc.close(fd) }
            acceptSource = source
            source.resume()
            let sweep = DispatchSource.makeTimerSource(queue: queue)
            let interval = sweepInterval
            sweep.schedule(deadline: .now() + .nanoseconds(interval), repeating: .nanoseconds(interval), leeway: .nanoseconds(interval / 10))
            sweep.setEventHandler { @Sendable [self] in sweepDeadlines() }
            sweepTimer = sweep
            sweep.resume()
        }
        return port
    }

    /// Stops accepting, lets requests in progress finish, and closes every connection.
    /// Connections still busy after `gracePeriod` are closed anyway.
    public func stop(gracePeriod: Duration = .seconds(10)) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            queue.async { [self] in
                if !stopping {
                    stopping = true
                    if acceptSuspended { acceptSuspended = false; acceptSource?.resume() }
                    acceptSource?.cancel()
                    acceptSource = nil
                    for connection in connections.values { connection.drain() }
                    queue.asyncAfter(deadline: .now() + .nanoseconds(gracePeriod.dispatchInterval)) { [self] in
                        for connection in connections.values { connection.forceClose() }
                    }
                }
                if connections.isEmpty { continuation.resume() } else { drainWaiters.append(continuation) }
            }
        }
    }

    /// How often deadlines are checked: a fifth of the shortest timeout, between 5 ms and 500 ms.
    private var sweepInterval: Int {
        let limits = configuration.limits
        let shortest = min(limits.headerTimeout, limits.bodyTimeout, limits.idleTimeout).dispatchInterval
        return min(max(shortest / 5, 5_000_000), 500_000_000)
    }

    private func sweepDeadlines() {
        let now = DispatchTime.now().uptimeNanoseconds
        for connection in connections.values {
            let due = connection.deadline.load(ordering: .relaxed)
            if due != 0 && due <= now { connection.deadlinePassed() }
        }
        if stopping && connections.isEmpty {
            sweepTimer?.cancel()
            sweepTimer = nil
        }
    }

    private func acceptAvailable() {
        while !stopping && connections.count < configuration.limits.maxConnections {
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let fd = withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { accept(listener, $0, &length) }
            }
            if fd < 0 {
                switch errno {
                case EINTR, ECONNABORTED: continue
                case EMFILE, ENFILE, ENOBUFS, ENOMEM:
                    // Out of descriptors: leave the rest in the backlog for a moment instead of spinning.
                    pauseAccepting(for: .milliseconds(100))
                    return
                default: return
                }
            }
            do {
                try Socket.setNonBlocking(fd)
            } catch {
                Glibc.close(fd)
                continue
            }
            Socket.setNoDelay(fd)
            let connection = HTTPConnection(
                fd: fd, peer: Socket.describe(storage), limits: configuration.limits, handler: handler,
                target: connectionTarget
            ) { @Sendable [self] closed in
                queue.async { [self] in connectionClosed(closed) }
            }
            connections[ObjectIdentifier(connection)] = connection
            connection.start()
        }
        if !stopping && connections.count >= configuration.limits.maxConnections && !acceptSuspended {
            acceptSuspended = true
            acceptSource?.suspend()
        }
    }

    private func pauseAccepting(for pause: Duration) {
        guard !acceptSuspended else { return }
        acceptSuspended = true
        acceptSource?.suspend()
        queue.asyncAfter(deadline: .now() + .nanoseconds(pause.dispatchInterval)) { [self] in
            if acceptSuspended && !stopping && connections.count < configuration.limits.maxConnections {
                acceptSuspended = false
                acceptSource?.resume()
            }
        }
    }

    private func connectionClosed(_ connection: HTTPConnection) {
        connections[ObjectIdentifier(connection)] = nil
        if acceptSuspended && !stopping && connections.count < configuration.limits.maxConnections {
            acceptSuspended = false
            acceptSource?.resume()
        }
        if stopping && connections.isEmpty {
            let waiters = drainWaiters
            drainWaiters = []
            for waiter in waiters { waiter.resume() }
        }
    }
}
