import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One accepted TCP connection: reads bytes into the parser, hands complete requests to the
/// handler one at a time, writes each response in one piece, and enforces the timeouts.
///
/// Every mutable property is touched only on `queue`, which is why the class can be
/// `@unchecked Sendable`. The exceptions are `deadline`, an atomic the server's sweep timer
/// reads (one shared timer costs less than re-arming a Dispatch timer on every request), and
/// `idleSince`, which the server reads to choose a connection to shed.
final class HTTPConnection: @unchecked Sendable {
    private enum TimerPhase { case none, firstByte, idle, head, body, linger }

    let fd: Int32
    /// `address:port` of the client.
    let peer: String
    /// The client's address alone, the unit of the per-peer connection cap.
    let peerAddress: String
    private let queue: DispatchQueue
    private let limits: HTTPServerLimits
    private let handler: any HTTPHandler
    private let onClose: @Sendable (HTTPConnection) -> Void

    private var parser: HTTPRequestParser
    private var readSource: DispatchSourceRead?
    private var writeSource: DispatchSourceWrite?
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
    private var writeSuspended = true
    private var timerPhase = TimerPhase.none
    private var outbound: [UInt8] = []
    private var outboundSent = 0
    private var afterFlush: (() -> Void)?
    private var handling = false
    private var peerClosed = false
    private var draining = false
    private var lingering = false
    private var closed = false
    private var openSources = 0

    private static let readChunk = 65_536
    private static let lingerTime: Duration = .seconds(2)

    init(fd: Int32, peer: String, peerAddress: String, limits: HTTPServerLimits, handler: any HTTPHandler,
         target: DispatchQueue, onClose: @escaping @Sendable (HTTPConnection) -> Void) {
        self.fd = fd
        self.peer = peer
        self.peerAddress = peerAddress
        let now = DispatchTime.now().uptimeNanoseconds
        self.headClockStart = now
        self.idleSince.store(now, ordering: .relaxed)
        self.limits = limits
        self.handler = handler
        self.onClose = onClose
        self.parser = HTTPRequestParser(limits: limits.parser)
        self.queue = DispatchQueue(label: "http.connection", target: target)
    }

    /// Starts reading; called once by the server.
    func start() {
        queue.async { [self] in
            let read = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
            read.setEventHandler { @Sendable [self] in readAvailable() }
            read.setCancelHandler { @Sendable [self] in sourceCancelled() }
            let write = DispatchSource.makeWriteSource(fileDescriptor: fd, queue: queue)
            write.setEventHandler { @Sendable [self] in flush() }
            write.setCancelHandler { @Sendable [self] in sourceCancelled() }
            openSources = 2
            readSource = read
            writeSource = write
            read.resume()
            setTimer(.firstByte)
        }
    }

    /// Closes the connection if it is silent or idle between requests, with nothing unread in the
    /// socket, and answers whether it is gone; a connection with a request in hand is kept.
    func shed(_ completion: @escaping @Sendable (Bool) -> Void) {
        queue.async { [self] in
            guard !closed else { return completion(true) }
            var unread: Int32 = 0
            let quiet = (timerPhase == .firstByte || timerPhase == .idle) && !handling && outbound.isEmpty
                && ioctl(fd, UInt(FIONREAD), &unread) == 0 && unread == 0
            if quiet { close() }
            completion(quiet)
        }
    }

    /// The server is stopping: close now if idle, otherwise after the response in progress.
    func drain() {
        queue.async { [self] in
            draining = true
            if !handling && !lingering && parser.phase == .idle && outbound.isEmpty { close() }
        }
    }

    /// Closes at once, whatever is in progress.
    func forceClose() {
        queue.async { [self] in close() }
    }

    // MARK: - Reading

    private func readAvailable() {
        guard !closed else { return }
        // While a request is being handled, later pipelined bytes are still read into the parser (so the
        // source does not have to be suspended and resumed for every request), up to one full request.
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

    /// Takes every request the buffer holds, stopping while one is being handled.
    private func process() {
        while !handling && !lingering && !closed {
            switch parser.next() {
            case .needMoreData:
                switch parser.phase {
                case .idle:
                    if draining || peerClosed { close(); return }
                    // Until the first request arrives, empty lines do not buy the idle timeout.
                    if requestsStarted > 0 { setTimer(.idle) } else if timerPhase != .firstByte { setTimer(.head) }
                case .head:
                    if headClockStart == 0 { headClockStart = DispatchTime.now().uptimeNanoseconds }
                    setTimer(.head)
                case .body: setTimer(.body)
                case .failed: break
                }
                return
            case .sendContinue:
                send(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8), then: nil)
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
                handler.handle(request) { [self] response in
                    queue.async { [self] in finishHandling(response, keepAlive: keepAlive, headOnly: headOnly) }
                }
                return
            }
        }
    }

    private func finishHandling(_ response: HTTPResponse, keepAlive: Bool, headOnly: Bool) {
        handling = false
        guard !closed else { return }
        let keep = keepAlive && !draining && !peerClosed
        send(response.serialized(keepAlive: keep, headOnly: headOnly)) { [self] in
            if keep {
                resumeReading()
                process()
            } else {
                linger()
            }
        }
    }

    private func respondAndClose(_ response: HTTPResponse) {
        setTimer(.none)
        suspendReading()
        send(response.serialized(keepAlive: false)) { [self] in linger() }
    }

    /// After the last response: half-close and read until the peer closes (or a short time passes),
    /// so that unread request bytes do not turn the close into a reset that destroys the response.
    private func linger() {
        lingering = true
        shutdown(fd, Int32(SHUT_WR))
        setTimer(.linger)
        resumeReading()
    }

    // MARK: - Writing

    private func send(_ bytes: [UInt8], then completion: (() -> Void)?) {
        guard !closed else { return }
        outbound.append(contentsOf: bytes)
        if let completion {
            let previous = afterFlush
            afterFlush = { previous?(); completion() }
        }
        flush()
    }

    private func flush() {
        guard !closed else { return }
        while outboundSent < outbound.count {
            let sent = outbound.withUnsafeBytes { raw in
                Glibc.send(fd, raw.baseAddress! + outboundSent, raw.count - outboundSent, Int32(MSG_NOSIGNAL))
            }
            if sent > 0 {
                outboundSent += sent
            } else if sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                if writeSuspended { writeSuspended = false; writeSource?.resume() }
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
        if !writeSuspended { writeSuspended = true; writeSource?.suspend() }
        let completion = afterFlush
        afterFlush = nil
        completion?()
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
        case .body: now + UInt64(limits.bodyTimeout.dispatchInterval)
        case .linger: now + UInt64(Self.lingerTime.dispatchInterval)
        }
        deadline.store(due, ordering: .relaxed)
        idleSince.store(phase == .firstByte || phase == .idle ? now : 0, ordering: .relaxed)
    }

    /// Called by the server's sweep when `deadline` has passed.
    func deadlinePassed() {
        queue.async { [self] in
            let due = deadline.load(ordering: .relaxed)
            guard !closed, due != 0, due <= DispatchTime.now().uptimeNanoseconds else { return }
            timerFired()
        }
    }

    private func timerFired() {
        switch timerPhase {
        case .none: return
        case .firstByte, .idle, .linger: close()
        case .head, .body:
            timerPhase = .none
            respondAndClose(.jsonError(408, "request not received in time"))
        }
    }

    // MARK: - Closing

    private func suspendReading() {
        if !readSuspended { readSuspended = true; readSource?.suspend() }
    }

    private func resumeReading() {
        if readSuspended { readSuspended = false; readSource?.resume() }
    }

    private func close() {
        guard !closed else { return }
        closed = true
        deadline.store(0, ordering: .relaxed)
        idleSince.store(0, ordering: .relaxed)
        // A suspended source never runs its cancel handler, and the fd may only be closed after both ran.
        resumeReading()
        if writeSuspended { writeSuspended = false; writeSource?.resume() }
        readSource?.cancel()
        writeSource?.cancel()
        afterFlush = nil
        onClose(self)
    }

    private func sourceCancelled() {
        openSources -= 1
        if openSources == 0 {
            Glibc.close(fd)
            readSource = nil
            writeSource = nil
        }
    }
}
