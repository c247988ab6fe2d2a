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
/// timeouts on every connection (the header clock starts at accept), a cap on open connections
/// and on connections per peer address, and a graceful stop that finishes the requests in progress.
///
/// At a cap, idle and silent connections make room before anything waits: the one idle longest
/// is shed for the newcomer, so a client holding sockets open without sending cannot keep one
/// with a request in hand out. Only when every connection is busy do newcomers wait in the
/// kernel's backlog (or, over the per-peer cap, get refused).
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
    private let shedCount = Atomic<Int>(0)
    private let refusedCount = Atomic<Int>(0)

    // Touched only on `queue`.
    private var listener: Int32 = -1
    private var acceptSource: DispatchSourceRead?
    private var sweepTimer: DispatchSourceTimer?
    private var acceptSuspended = false
    /// Accepting is paused (out of descriptors) until this uptime; the sweep must not resume it early.
    private var pausedUntil: UInt64 = 0
    private var connections: [ObjectIdentifier: HTTPConnection] = [:]
    private var connectionsPerPeer: [String: Int] = [:]
    /// Connections asked to close to make room, whose answer has not come back yet.
    private var shedding: Set<ObjectIdentifier> = []
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

    /// Open connections that are silent since accept or idle between requests: those that may be
    /// shed to make room.
    public var idleConnectionCount: Int {
        queue.sync { connections.values.count { $0.idleSince.load(ordering: .relaxed) != 0 } }
    }

    /// Idle or silent connections closed so far to make room for a new one.
    public var connectionsShed: Int { shedCount.load(ordering: .relaxed) }

    /// Connections refused so far because their peer had `maxConnectionsPerPeer` busy ones.
    public var connectionsRefused: Int { refusedCount.load(ordering: .relaxed) }

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
        let shortest = min(limits.headerTimeout, limits.bodyTimeout, limits.idleTimeout, limits.firstByteTimeout).dispatchInterval
        return min(max(shortest / 5, 5_000_000), 500_000_000)
    }

    private func sweepDeadlines() {
        let now = DispatchTime.now().uptimeNanoseconds
        for connection in connections.values {
            let due = connection.deadline.load(ordering: .relaxed)
            if due != 0 && due <= now { connection.deadlinePassed() }
        }
        // At the cap with every connection busy, accepting stopped; one may have gone idle since.
        resumeAcceptingIfUseful()
        if stopping && connections.isEmpty {
            sweepTimer?.cancel()
            sweepTimer = nil
        }
    }

    /// Runs when the listening socket is readable: someone waits in the backlog.
    private func acceptAvailable() {
        let limits = configuration.limits
        if connections.count >= limits.maxConnections {
            // Make room for the newcomer by shedding the connection idle longest; its close resumes
            // accepting. With a shed already under way, or none idle, wait (the sweep looks again).
            if shedding.isEmpty { _ = shedLongestIdle(from: nil) }
            suspendAccepting()
            return
        }
        while !stopping && connections.count < limits.maxConnections {
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
            let peer = Socket.describe(storage)
            let address = Socket.address(of: storage)
            if limits.maxConnectionsPerPeer > 0 && connectionsPerPeer[address, default: 0] >= limits.maxConnectionsPerPeer
                && !shedLongestIdle(from: address) {
                refuse(fd)
                continue
            }
            do {
                try Socket.setNonBlocking(fd)
            } catch {
                Glibc.close(fd)
                continue
            }
            Socket.setNoDelay(fd)
            let connection = HTTPConnection(
                fd: fd, peer: peer, peerAddress: address, limits: limits, handler: handler, target: connectionTarget
            ) { @Sendable [self] closed in
                queue.async { [self] in connectionClosed(closed) }
            }
            connections[ObjectIdentifier(connection)] = connection
            connectionsPerPeer[address, default: 0] += 1
            connection.start()
        }
    }

    /// Asks the connection idle longest (from `address`, or from anyone) to close. Returns false
    /// when none is idle. A connection that turns out to be busy is kept, and accepting looks again.
    private func shedLongestIdle(from address: String?) -> Bool {
        var oldest: (since: UInt64, connection: HTTPConnection)?
        for (id, connection) in connections where !shedding.contains(id) {
            if let address, connection.peerAddress != address { continue }
            let since = connection.idleSince.load(ordering: .relaxed)
            if since != 0 && since < (oldest?.since ?? .max) { oldest = (since, connection) }
        }
        guard let victim = oldest?.connection else { return false }
        let id = ObjectIdentifier(victim)
        shedding.insert(id)
        victim.shed { @Sendable [self] gone in
            queue.async { [self] in
                shedding.remove(id)
                if gone { shedCount.add(1, ordering: .relaxed) }
                resumeAcceptingIfUseful()
            }
        }
        return true
    }

    /// Turns away a connection over its peer's cap with a best-effort 503, never blocking.
    private func refuse(_ fd: Int32) {
        refusedCount.add(1, ordering: .relaxed)
        let reply = "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nRetry-After: 1\r\nConnection: close\r\n\r\n"
        _ = reply.utf8.withContiguousStorageIfAvailable { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
        Glibc.close(fd)
    }

    private func suspendAccepting() {
        guard !acceptSuspended else { return }
        acceptSuspended = true
        acceptSource?.suspend()
    }

    /// Resumes accepting when there is room, or an idle connection to shed for a newcomer. The
    /// accept source then fires only if someone is waiting in the backlog.
    private func resumeAcceptingIfUseful() {
        guard acceptSuspended, !stopping, DispatchTime.now().uptimeNanoseconds >= pausedUntil else { return }
        let hasRoom = connections.count < configuration.limits.maxConnections
        let canShed = shedding.isEmpty && connections.values.contains { $0.idleSince.load(ordering: .relaxed) != 0 }
        guard hasRoom || canShed else { return }
        acceptSuspended = false
        acceptSource?.resume()
    }

    private func pauseAccepting(for pause: Duration) {
        suspendAccepting()
        pausedUntil = DispatchTime.now().uptimeNanoseconds + UInt64(pause.dispatchInterval)
        queue.asyncAfter(deadline: .now() + .nanoseconds(pause.dispatchInterval)) { [self] in
            resumeAcceptingIfUseful()
        }
    }

    private func connectionClosed(_ connection: HTTPConnection) {
        if connections.removeValue(forKey: ObjectIdentifier(connection)) != nil {
            let remaining = connectionsPerPeer[connection.peerAddress, default: 1] - 1
            connectionsPerPeer[connection.peerAddress] = remaining > 0 ? remaining : nil
        }
        resumeAcceptingIfUseful()
        if stopping && connections.isEmpty {
            let waiters = drainWaiters
            drainWaiters = []
            for waiter in waiters { waiter.resume() }
        }
    }
}
