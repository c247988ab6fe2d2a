import CSystemShims
import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// An HTTP/1.1 server on nonblocking POSIX sockets and an epoll ``EventLoop``.
///
/// One loop thread accepts, reads, parses, runs each handler's synchronous part and writes; a
/// handler that answers later (after a durable write, say) hands its answer back to the loop.
/// It is meant to face the internet behind a TLS proxy: strict parsing, byte limits and
/// timeouts on every connection (the header clock starts at accept), a cap on open connections
/// and on connections per peer address, and a graceful stop that finishes the requests in progress.
///
/// At a cap, idle and silent connections make room before anything waits: the one idle longest
/// is shed for the newcomer, so a client holding sockets open without sending cannot keep one
/// with a request in hand out. Only when every connection is busy do newcomers wait in the
/// kernel's backlog (or, over the per-peer cap, get refused).
public final class HTTPServer: EventLoopSource, @unchecked Sendable {
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
    private let boundPort = Atomic<Int>(0)
    private let shedCount = Atomic<Int>(0)
    private let refusedCount = Atomic<Int>(0)
    /// The open connections; changed only on the accept loop, read from anywhere.
    private let connections = Mutex<[ObjectIdentifier: HTTPConnection]>([:])
    private let started = Mutex<[EventLoop]>([])

    // Touched only on the accept loop (the first loop).
    private var loops: [EventLoop] = []
    private var nextLoop = 0
    private var listener: Int32 = -1
    private var acceptSuspended = false
    /// Accepting is paused (out of descriptors) until this uptime; the sweep must not resume it early.
    private var pausedUntil: UInt64 = 0
    private var connectionsPerPeer: [String: Int] = [:]
    /// Connections asked to close to make room, whose answer has not come back yet.
    private var shedding: Set<ObjectIdentifier> = []
    private var stopping = false
    private var stopped = false
    private var drainWaiters: [CheckedContinuation<Void, Never>] = []

    /// Creates a server; nothing is bound until ``start()``.
    public init(configuration: Configuration, handler: any HTTPHandler) {
        self.configuration = configuration
        self.handler = handler
    }

    /// The bound port, known once ``start()`` returned.
    public var port: Int { boundPort.load(ordering: .acquiring) }

    /// Number of open connections.
    public var connectionCount: Int { connections.withLock { $0.count } }

    /// Open connections that are silent since accept or idle between requests: those that may be
    /// shed to make room.
    public var idleConnectionCount: Int {
        connections.withLock { $0.values.count { $0.idleSince.load(ordering: .relaxed) != 0 } }
    }

    /// Idle or silent connections closed so far to make room for a new one.
    public var connectionsShed: Int { shedCount.load(ordering: .relaxed) }

    /// Connections refused so far because their peer had `maxConnectionsPerPeer` busy ones.
    public var connectionsRefused: Int { refusedCount.load(ordering: .relaxed) }

    private var acceptLoop: EventLoop { loops[0] }

    /// Called from a handler, on its event loop: runs `work` on that loop once it has handled every
    /// event of this round (several requests, say), and returns true. Elsewhere it returns false
    /// and `work` is the caller's to run.
    public static func afterThisRound(_ work: @escaping @Sendable () -> Void) -> Bool {
        EventLoop.afterEvents(work)
    }

    /// Binds, listens and starts accepting. Returns the bound port.
    @discardableResult
    public func start() throws -> Int {
        signal(SIGPIPE, SIG_IGN)
        let fd = try Socket.listen(host: configuration.host, port: configuration.port, backlog: configuration.backlog)
        let port = Socket.localPort(fd)
        var created: [EventLoop] = []
        do {
            for index in 0..<max(1, configuration.limits.eventLoops) { created.append(try EventLoop(name: "http.loop.\(index)")) }
        } catch {
            for loop in created { loop.shutdown() }
            Glibc.close(fd)
            throw error
        }
        boundPort.store(port, ordering: .releasing)
        let all = created
        started.withLock { $0 = all }
        let ready = DispatchSemaphore(value: 0)
        let registered = Atomic<Bool>(false)
        all[0].execute { [self] in
            loops = all
            listener = fd
            if all[0].register(fd, interest: EPOLLIN.rawValue, source: self) {
                registered.store(true, ordering: .releasing)
                scheduleSweep()
            } else {
                Glibc.close(fd)
                listener = -1
                stopping = true
                stopped = true
                for loop in all { loop.shutdown() }
            }
            ready.signal()
        }
        ready.wait()
        guard registered.load(ordering: .acquiring) else { throw SocketError(call: "epoll_ctl", code: 0, detail: "cannot watch the listener") }
        return port
    }

    /// Stops accepting, lets requests in progress finish, and closes every connection.
    /// Connections still busy after `gracePeriod` are closed anyway.
    public func stop(gracePeriod: Duration = .seconds(10)) async {
        guard let accept = started.withLock({ $0.first }) else { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let taken = accept.execute { [self] in
                if !stopping {
                    stopping = true
                    if listener >= 0 {
                        acceptLoop.deregister(listener)
                        Glibc.close(listener)
                        listener = -1
                    }
                    for connection in connections.withLock({ Array($0.values) }) { connection.drain() }
                    acceptLoop.schedule(afterNanoseconds: gracePeriod.dispatchInterval) { [self] in
                        for connection in connections.withLock({ Array($0.values) }) { connection.forceClose() }
                    }
                }
                drainWaiters.append(continuation)
                finishStopIfDrained()
            }
            // Stopped before: the loops are gone, and so is every connection.
            if !taken { continuation.resume() }
        }
    }

    /// Once stopping with no connection left: answers the waiting ``stop(gracePeriod:)`` calls
    /// and ends the loops' threads.
    private func finishStopIfDrained() {
        guard stopping, connections.withLock({ $0.isEmpty }) else { return }
        let waiters = drainWaiters
        drainWaiters = []
        for waiter in waiters { waiter.resume() }
        if !stopped {
            stopped = true
            for loop in loops { loop.shutdown() }
        }
    }

    /// How often deadlines are checked: a fifth of the shortest timeout, between 5 ms and 500 ms.
    private var sweepInterval: Int {
        let limits = configuration.limits
        let shortest = min(limits.headerTimeout, limits.bodyTimeout, limits.idleTimeout, limits.firstByteTimeout).dispatchInterval
        return min(max(shortest / 5, 5_000_000), 500_000_000)
    }

    private func scheduleSweep() {
        acceptLoop.schedule(afterNanoseconds: sweepInterval) { [self] in
            guard !stopped else { return }
            sweepDeadlines()
            scheduleSweep()
        }
    }

    private func sweepDeadlines() {
        let now = DispatchTime.now().uptimeNanoseconds
        for connection in connections.withLock({ Array($0.values) }) {
            let due = connection.deadline.load(ordering: .relaxed)
            if due != 0 && due <= now { connection.deadlinePassed() }
        }
        // At the cap with every connection busy, accepting stopped; one may have gone idle since.
        resumeAcceptingIfUseful()
    }

    /// Runs when the listening socket is readable: someone waits in the backlog.
    func ready(_ events: UInt32) {
        guard !stopping else { return }
        let limits = configuration.limits
        if connections.withLock({ $0.count }) >= limits.maxConnections {
            // Make room for the newcomer by shedding the connection idle longest; its close resumes
            // accepting. With a shed already under way, or none idle, wait (the sweep looks again).
            if shedding.isEmpty { _ = shedLongestIdle(from: nil) }
            suspendAccepting()
            return
        }
        while !stopping && connections.withLock({ $0.count }) < limits.maxConnections {
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let fd = withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { csystem_accept_nonblocking(listener, $0, &length) }
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
            let address = Socket.peerGroup(of: storage)
            let overCap = limits.maxConnectionsPerPeer > 0 && connectionsPerPeer[address, default: 0] >= limits.maxConnectionsPerPeer
            if overCap && shedVictim(from: address) == nil {
                refuse(fd)
                continue
            }
            Socket.setNoDelay(fd)
            let loop = loops[nextLoop % loops.count]
            nextLoop &+= 1
            let accept = acceptLoop
            let connection = HTTPConnection(
                fd: fd, peer: peer, peerAddress: address, limits: limits, handler: handler, loop: loop
            ) { @Sendable [self] closed in
                accept.execute { [self] in connectionClosed(closed) }
            }
            connections.withLock { $0[ObjectIdentifier(connection)] = connection }
            connectionsPerPeer[address, default: 0] += 1
            connection.start()
            if overCap {
                // In on the condition that one of its peer's idle connections goes: the one named
                // may turn out to have a request arriving (or be another newcomer), and then the
                // newcomer is turned away rather than kept over the cap.
                _ = shedLongestIdle(from: address, excluding: connection) { [self] in
                    refusedCount.add(1, ordering: .relaxed)
                    connection.turnAway()
                }
            }
        }
    }

    /// The connection idle longest (from `address`, or from anyone), not already being shed.
    private func shedVictim(from address: String?, excluding newcomer: HTTPConnection? = nil) -> HTTPConnection? {
        var oldest: (since: UInt64, connection: HTTPConnection)?
        for (id, connection) in connections.withLock({ $0 }) where !shedding.contains(id) && connection !== newcomer {
            if let address, connection.peerAddress != address { continue }
            let since = connection.idleSince.load(ordering: .relaxed)
            if since != 0 && since < (oldest?.since ?? .max) { oldest = (since, connection) }
        }
        return oldest?.connection
    }

    /// Asks the connection idle longest (from `address`, or from anyone) to close. Returns false
    /// when none is idle. A connection that turns out to be busy is kept, `otherwise` runs on the
    /// accepting loop, and accepting looks again.
    private func shedLongestIdle(from address: String?, excluding newcomer: HTTPConnection? = nil,
                                 otherwise: (@Sendable () -> Void)? = nil) -> Bool {
        guard let victim = shedVictim(from: address, excluding: newcomer) else {
            otherwise?()
            return false
        }
        let id = ObjectIdentifier(victim)
        shedding.insert(id)
        let accept = acceptLoop
        victim.shed { @Sendable [self] gone in
            accept.execute { [self] in
                shedding.remove(id)
                if gone { shedCount.add(1, ordering: .relaxed) } else { otherwise?() }
                resumeAcceptingIfUseful()
            }
        }
        return true
    }

    /// Turns away a connection over its peer's cap with a best-effort 503, never blocking.
    private func refuse(_ fd: Int32) {
        refusedCount.add(1, ordering: .relaxed)
        Self.sendRefusal(fd)
        Glibc.close(fd)
    }

    /// Writes the 503 for a connection over its peer's cap, best effort and never blocking.
    static func sendRefusal(_ fd: Int32) {
        let reply = "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nRetry-After: 1\r\nConnection: close\r\n\r\n"
        _ = reply.utf8.withContiguousStorageIfAvailable { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
    }

    private func suspendAccepting() {
        guard !acceptSuspended else { return }
        acceptSuspended = true
        acceptLoop.modify(listener, interest: 0)
    }

    /// Resumes accepting when there is room, or an idle connection to shed for a newcomer. The
    /// listener is then told of readiness only if someone is waiting in the backlog.
    private func resumeAcceptingIfUseful() {
        guard acceptSuspended, !stopping, DispatchTime.now().uptimeNanoseconds >= pausedUntil else { return }
        let (count, canShed) = connections.withLock { open in
            (open.count, shedding.isEmpty && open.values.contains { $0.idleSince.load(ordering: .relaxed) != 0 })
        }
        guard count < configuration.limits.maxConnections || canShed else { return }
        acceptSuspended = false
        acceptLoop.modify(listener, interest: EPOLLIN.rawValue)
    }

    private func pauseAccepting(for pause: Duration) {
        suspendAccepting()
        pausedUntil = DispatchTime.now().uptimeNanoseconds + UInt64(pause.dispatchInterval)
        acceptLoop.schedule(afterNanoseconds: pause.dispatchInterval) { [self] in resumeAcceptingIfUseful() }
    }

    private func connectionClosed(_ connection: HTTPConnection) {
        if connections.withLock({ $0.removeValue(forKey: ObjectIdentifier(connection)) }) != nil {
            let remaining = connectionsPerPeer[connection.peerAddress, default: 1] - 1
            connectionsPerPeer[connection.peerAddress] = remaining > 0 ? remaining : nil
        }
        resumeAcceptingIfUseful()
        finishStopIfDrained()
    }
}
