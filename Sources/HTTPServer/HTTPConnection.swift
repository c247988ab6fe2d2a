import CSystemShims
import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One accepted TCP connection on an ``EventLoop``: reads bytes into the parser, hands complete
/// requests to the handler one at a time, writes each response, and enforces the timeouts.
///
/// Every mutable property is touched only on the loop's thread, which is why the class can be
/// `@unchecked Sendable`. The exceptions are `deadline`, an atomic the server's sweep reads (one
/// shared sweep costs less than a timer per request), and `idleSince`, which the server reads to
/// choose a connection to shed.
///
/// A handler that answers at once, on the loop's thread, has its response written in the same
/// pass, and the next pipelined request is taken without waiting for another readiness event; a
/// handler that answers later, from any thread, has its response handed back to the loop.
final class HTTPConnection: EventLoopSource, @unchecked Sendable {
    private enum TimerPhase { case none, firstByte, idle, head, body, write, linger }

    let fd: Int32
    /// `address:port` of the client.
    let peer: String
    /// The unit of the per-peer connection cap: the client's address alone, or its /64 for IPv6
    /// (``Socket/peerGroup(of:)``).
    let peerAddress: String
    /// The loop this connection lives on.
    let loop: EventLoop
    private let limits: HTTPServerLimits
    private let handler: any HTTPHandler
    private let onClose: @Sendable (HTTPConnection) -> Void

    private var parser: HTTPRequestParser
    /// When the current phase times out, in `DispatchTime` uptime nanoseconds; 0 for never.
    let deadline = Atomic<UInt64>(0)
    /// Since when the connection has been silent since accept or idle between requests, in
    /// uptime nanoseconds; 0 while a request is arriving, being handled or answered.
    let idleSince = Atomic<UInt64>(0)
    /// When the current request's header clock started: at accept for the first request, at its
    /// first byte for later ones on a kept-alive connection; 0 between requests.
    private var headClockStart: UInt64 = 0
    private var requestsStarted = 0
    private var readSuspended = false
    /// What the loop watches the descriptor for now.
    private var interest: UInt32 = 0
    private var writeWanted = false
    private var timerPhase = TimerPhase.none
    private var outbound: [UInt8] = []
    private var outboundSent = 0
    private var afterFlush: (() -> Void)?
    private var handling = false
    /// Set while the handler is being called: an answer given meanwhile on the loop lands in `answeredInline`.
    private var callingHandler = false
    private var answeredInline: HTTPResponse?
    private var peerClosed = false
    /// The peer reset or hung up while a request was being handled: the descriptor left the loop.
    private var hungUp = false
    private var draining = false
    private var lingering = false
    private var closed = false

    private static let readChunk = 65_536
    private static let lingerTime: Duration = .seconds(2)
    private static let readable = EPOLLIN.rawValue
    private static let writable = EPOLLOUT.rawValue
    private static let failed = EPOLLERR.rawValue | EPOLLHUP.rawValue

    init(fd: Int32, peer: String, peerAddress: String, limits: HTTPServerLimits, handler: any HTTPHandler,
         loop: EventLoop, onClose: @escaping @Sendable (HTTPConnection) -> Void) {
        self.fd = fd
        self.peer = peer
        self.peerAddress = peerAddress
        let now = DispatchTime.now().uptimeNanoseconds
        self.headClockStart = now
        self.idleSince.store(now, ordering: .relaxed)
        self.limits = limits
        self.handler = handler
        self.onClose = onClose
        self.loop = loop
        self.parser = HTTPRequestParser(limits: limits.parser)
    }

    /// Starts reading; called once by the server.
    func start() {
        loop.execute { [self] in
            interest = Self.readable
            guard loop.register(fd, interest: interest, source: self) else {
                closed = true
                Glibc.close(fd)
                onClose(self)
                return
            }
            setTimer(.firstByte)
        }
    }

    /// Closes the connection if it is silent or idle between requests, with nothing unread in the
    /// socket, and answers whether it is gone; a connection with a request in hand is kept.
    func shed(_ completion: @escaping @Sendable (Bool) -> Void) {
        loop.execute { [self] in
            guard !closed else { return completion(true) }
            var unread: Int32 = 0
            let quiet = (timerPhase == .firstByte || timerPhase == .idle) && !handling && outbound.isEmpty
                && ioctl(fd, UInt(FIONREAD), &unread) == 0 && unread == 0
            if quiet { close() }
            completion(quiet)
        }
    }

    /// Over its peer's cap after all: answered 503 and closed if no request is in hand, otherwise
    /// closed after the response in progress.
    func turnAway() {
        loop.execute { [self] in
            guard !closed else { return }
            draining = true
            guard !handling && !lingering && outbound.isEmpty else { return }
            HTTPServer.sendRefusal(fd)
            close()
        }
    }

    /// The server is stopping: close now if idle, otherwise after the response in progress.
    func drain() {
        loop.execute { [self] in
            draining = true
            if !handling && !lingering && parser.phase == .idle && outbound.isEmpty { close() }
        }
    }

    /// Closes at once, whatever is in progress.
    func forceClose() {
        loop.execute { [self] in close() }
    }

    func ready(_ events: UInt32) {
        guard !closed else { return }
        if events & Self.writable != 0 { flush() }
        guard !closed else { return }
        if events & Self.readable != 0 && !readSuspended {
            readAvailable()
        } else if events & Self.failed != 0 {
            // Reset or hung up while not reading: told again and again until it leaves the loop.
            if handling {
                hungUp = true
                loop.deregister(fd)
            } else {
                close()
            }
        }
    }

    // MARK: - Reading

    private func readAvailable() {
        // While a request is being handled, later pipelined bytes are still read into the parser,
        // up to one full request; beyond that the socket is left to fill.
        if handling && parser.bufferedByteCount > limits.parser.maxHeaderBytes + limits.parser.maxBodyBytes {
            suspendReading()
            return
        }
        let result = withUnsafeTemporaryAllocation(byteCount: Self.readChunk, alignment: 1) { chunk -> Int in
            let count = Glibc.read(fd, chunk.baseAddress, chunk.count)
            if count > 0 && !lingering {
                parser.append(buffer: UnsafeRawBufferPointer(rebasing: chunk[0..<count]))
            }
            return count
        }
        if result > 0 {
            if !lingering { process() }
        } else if result == 0 {
            if lingering || !handling {
                close()
            } else {
                peerClosed = true
                suspendReading()
            }
        } else if errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR {
            close()
        }
    }

    /// Takes every request the buffer holds, stopping while one is being handled or an answer
    /// waits to be written.
    private func process() {
        while !handling && !lingering && !closed && afterFlush == nil {
            switch parser.next() {
            case .needMoreData:
                switch parser.phase {
                case .idle:
                    if draining || peerClosed { close(); return }
                    // Until the first request arrives, empty lines do not buy the idle timeout.
                    if requestsStarted > 0 { setTimer(.idle) } else if timerPhase != .firstByte { setTimer(.head) }
                case .head:
                    // The peer closed its side: the rest of this request will never come.
                    if peerClosed { close(); return }
                    if headClockStart == 0 { headClockStart = DispatchTime.now().uptimeNanoseconds }
                    setTimer(.head)
                case .body:
                    if peerClosed { close(); return }
                    setTimer(.body)
                case .failed: break
                }
                return
            case .sendContinue:
                send(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
            case .failure(let error):
                respondAndClose(.jsonError(error.status, error.reason))
                return
            case .request(var request):
                request.peerAddress = peer
                handling = true
                requestsStarted += 1
                headClockStart = 0
                setTimer(.none)
                let keepAlive = request.keepAlive
                let headOnly = request.method == "HEAD"
                callingHandler = true
                handler.handle(request) { [self] response in
                    if loop.inLoop && callingHandler {
                        answeredInline = response
                    } else {
                        loop.execute { [self] in
                            if answer(response, keepAlive: keepAlive, headOnly: headOnly) { process() }
                        }
                    }
                }
                callingHandler = false
                guard let response = answeredInline else { return }
                answeredInline = nil
                if !answer(response, keepAlive: keepAlive, headOnly: headOnly) { return }
            }
        }
    }

    /// Writes the handler's answer; true when the next request may be taken at once.
    private func answer(_ response: HTTPResponse, keepAlive: Bool, headOnly: Bool) -> Bool {
        handling = false
        guard !closed else { return false }
        if hungUp {
            close()
            return false
        }
        // A peer that closed its side after sending more requests (`nc -N`) gets them answered
        // too; the last answer closes (an incomplete request after it is dropped when reached).
        let keep = keepAlive && !draining && (!peerClosed || parser.bufferedByteCount > 0)
        send(response.serialized(keepAlive: keep, headOnly: headOnly))
        guard !closed else { return false }
        if outbound.isEmpty && keep {
            resumeReading()
            return true
        }
        // Until the answer is out nothing more is read: a client that does not read could
        // otherwise keep sending into a buffer nothing parses.
        suspendReading()
        whenFlushed { [self] in
            if keep {
                resumeReading()
                process()
            } else {
                linger()
            }
        }
        return false
    }

    private func respondAndClose(_ response: HTTPResponse) {
        setTimer(.none)
        suspendReading()
        send(response.serialized(keepAlive: false))
        whenFlushed { [self] in linger() }
    }

    /// After the last response: half-close and read until the peer closes (or a short time passes),
    /// so that unread request bytes do not turn the close into a reset that destroys the response.
    private func linger() {
        guard !closed else { return }
        lingering = true
        shutdown(fd, Int32(SHUT_WR))
        setTimer(.linger)
        resumeReading()
    }

    // MARK: - Writing

    private func send(_ bytes: [UInt8]) {
        guard !closed else { return }
        if outbound.isEmpty { outbound = bytes } else { outbound.append(contentsOf: bytes) }
        flush()
    }

    /// Runs `next` once everything queued is written: now, or when the socket takes the rest.
    private func whenFlushed(_ next: @escaping () -> Void) {
        guard !closed else { return }
        if outbound.isEmpty { return next() }
        let previous = afterFlush
        afterFlush = { previous?(); next() }
    }

    private func flush() {
        while outboundSent < outbound.count {
            let sent = outbound.withUnsafeBytes { raw in
                Glibc.send(fd, raw.baseAddress! + outboundSent, raw.count - outboundSent, Int32(MSG_NOSIGNAL))
            }
            if sent > 0 {
                outboundSent += sent
            } else if sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                // The client is not keeping up: it gets `bodyTimeout` to take the whole rest. Not
                // renewed when it takes some, or a client reading a little at a time would keep
                // the connection for good.
                if timerPhase == .none { setTimer(.write) }
                watch(writable: true)
                return
            } else if sent < 0 && errno == EINTR {
                continue
            } else {
                close()
                return
            }
        }
        outbound.removeAll(keepingCapacity: outbound.capacity <= 65_536)
        outboundSent = 0
        if timerPhase == .write { setTimer(.none) }
        watch(writable: false)
        if let completion = afterFlush {
            afterFlush = nil
            completion()
        }
    }

    // MARK: - Timers

    private func setTimer(_ phase: TimerPhase) {
        guard phase != timerPhase else { return }
        timerPhase = phase
        let now = DispatchTime.now().uptimeNanoseconds
        let due: UInt64 = switch phase {
        case .none: 0
        case .firstByte: now + UInt64(min(limits.firstByteTimeout, limits.headerTimeout).dispatchInterval)
        case .idle: now + UInt64(limits.idleTimeout.dispatchInterval)
        case .head: (headClockStart == 0 ? now : headClockStart) + UInt64(limits.headerTimeout.dispatchInterval)
        case .body, .write: now + UInt64(limits.bodyTimeout.dispatchInterval)
        case .linger: now + UInt64(Self.lingerTime.dispatchInterval)
        }
        deadline.store(due, ordering: .relaxed)
        idleSince.store(phase == .firstByte || phase == .idle ? now : 0, ordering: .relaxed)
    }

    /// Called by the server's sweep when `deadline` has passed.
    func deadlinePassed() {
        loop.execute { [self] in
            let due = deadline.load(ordering: .relaxed)
            guard !closed, due != 0, due <= DispatchTime.now().uptimeNanoseconds else { return }
            timerFired()
        }
    }

    private func timerFired() {
        switch timerPhase {
        case .none: return
        case .firstByte, .idle, .write, .linger: close()
        case .head, .body:
            setTimer(.none)
            respondAndClose(.jsonError(408, "request not received in time"))
        }
    }

    // MARK: - Interest and closing

    private func suspendReading() {
        readSuspended = true
        updateInterest()
    }

    private func resumeReading() {
        readSuspended = false
        updateInterest()
    }

    private func watch(writable: Bool) {
        writeWanted = writable
        updateInterest()
    }

    /// Tells the loop what to watch: reading unless it is suspended, writing while bytes wait.
    private func updateInterest() {
        let wanted = (readSuspended ? 0 : Self.readable) | (writeWanted ? Self.writable : 0)
        // After a hang-up the descriptor has left the loop; there is nothing to change.
        guard wanted != interest, !closed, !hungUp else { return }
        interest = wanted
        loop.modify(fd, interest: interest)
    }

    private func close() {
        guard !closed else { return }
        closed = true
        deadline.store(0, ordering: .relaxed)
        idleSince.store(0, ordering: .relaxed)
        afterFlush = nil
        if !hungUp { loop.deregister(fd) }
        Glibc.close(fd)
        onClose(self)
    }
}
