import CSystemShims
import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One thread waiting in `epoll_wait` and running, on that thread alone, the readiness callbacks
/// of the descriptors registered with it, the work other threads hand it, and its timers.
///
/// Readiness is level-triggered: a source is told again as long as its descriptor stays ready
/// and its interest includes the event, so a callback may read or write as much as it likes.
/// Everything registered, and every object whose state only loop work touches, is therefore
/// confined to the loop's thread; other threads reach it through ``execute(_:)``.
final class EventLoop: @unchecked Sendable {
    private struct Handoff {
        var work: [@Sendable () -> Void] = []
        /// The eventfd was written and its wake-up not yet consumed.
        var woken = false
        var closed = false
    }

    private let epoll: Int32
    private let wakeDescriptor: Int32
    private let handoff = Mutex(Handoff())
    private let thread = Atomic<UInt>(0)

    // Touched only on the loop's thread.
    private var sources: [(any EventLoopSource)?] = []
    private var timers = LoopTimers()
    private var running = true

    private static let batch = 256

    /// The loop whose thread this is, for ``afterEvents(_:)``.
    private static let currentKey: pthread_key_t = {
        var key = pthread_key_t()
        _ = pthread_key_create(&key, nil)
        return key
    }()

    /// Runs `work` on the calling thread's loop once it has handled every event of this round,
    /// so that work started by several requests of one round (a journal's writer, woken) starts
    /// once. False when the caller is not on a loop's thread, or its loop has shut down: then it
    /// is the caller's to run.
    static func afterEvents(_ work: @escaping @Sendable () -> Void) -> Bool {
        guard let pointer = pthread_getspecific(currentKey) else { return false }
        return Unmanaged<EventLoop>.fromOpaque(pointer).takeUnretainedValue().execute(work)
    }

    /// Creates the epoll instance and starts the loop's thread.
    init(name: String) throws(SocketError) {
        epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epoll >= 0 else { throw SocketError(call: "epoll_create1", code: errno, detail: "") }
        wakeDescriptor = eventfd(0, Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC))
        // On a throw from here on deinit runs (every property is set) and closes both descriptors.
        guard wakeDescriptor >= 0 else { throw SocketError(call: "eventfd", code: errno, detail: "") }
        var event = epoll_event()
        event.events = EPOLLIN.rawValue
        event.data.fd = wakeDescriptor
        _ = epoll_ctl(epoll, EPOLL_CTL_ADD, wakeDescriptor, &event)
        try startThread(name: name)
    }

    private func startThread(name: String) throws(SocketError) {
        var handle = pthread_t()
        let context = Unmanaged.passRetained(self).toOpaque()
        let status = pthread_create(&handle, nil, { context in
            let loop = Unmanaged<EventLoop>.fromOpaque(context!).takeRetainedValue()
            loop.run()
            return nil
        }, context)
        guard status == 0 else {
            Unmanaged<EventLoop>.fromOpaque(context).release()
            throw SocketError(call: "pthread_create", code: status, detail: "")
        }
        pthread_detach(handle)
        _ = csystem_set_thread_name(handle, String(name.prefix(15)))
    }

    /// Whether the caller runs on the loop's thread.
    var inLoop: Bool { pthread_equal(pthread_self(), pthread_t(thread.load(ordering: .acquiring))) != 0 }

    /// Runs `work` on the loop's thread, after what it is doing now. A loop that has shut down
    /// refuses it: the answer is then false.
    @discardableResult
    func execute(_ work: @escaping @Sendable () -> Void) -> Bool {
        let onLoop = inLoop
        var taken = false
        let wake = handoff.withLock { state -> Bool in
            guard !state.closed else { return false }
            taken = true
            state.work.append(work)
            // The loop drains its hand-off before it waits again, so work it gives itself needs no wake-up.
            guard !onLoop, !state.woken else { return false }
            state.woken = true
            return true
        }
        if wake {
            var one: UInt64 = 1
            _ = Glibc.write(wakeDescriptor, &one, 8)
        }
        return taken
    }

    /// Stops the loop after the work already handed to it; later work is refused.
    func shutdown() {
        execute { [self] in running = false }
    }

    // MARK: - On the loop's thread

    /// Tells `source` when `descriptor` is ready for `interest` (EPOLLIN, EPOLLOUT or both; 0 for
    /// neither, though errors and hang-ups are always told).
    func register(_ descriptor: Int32, interest: UInt32, source: any EventLoopSource) -> Bool {
        var event = epoll_event()
        event.events = interest
        event.data.fd = descriptor
        guard epoll_ctl(epoll, EPOLL_CTL_ADD, descriptor, &event) == 0 else { return false }
        let index = Int(descriptor)
        if index >= sources.count { sources.append(contentsOf: repeatElement(nil, count: index - sources.count + 64)) }
        sources[index] = source
        return true
    }

    /// Changes what `descriptor` is watched for.
    func modify(_ descriptor: Int32, interest: UInt32) {
        var event = epoll_event()
        event.events = interest
        event.data.fd = descriptor
        _ = epoll_ctl(epoll, EPOLL_CTL_MOD, descriptor, &event)
    }

    /// Stops watching `descriptor`; call before closing it (its number may be reused at once).
    func deregister(_ descriptor: Int32) {
        _ = epoll_ctl(epoll, EPOLL_CTL_DEL, descriptor, nil)
        let index = Int(descriptor)
        if index < sources.count { sources[index] = nil }
    }

    /// Runs `work` on the loop once `nanoseconds` have passed.
    func schedule(afterNanoseconds nanoseconds: Int, _ work: @escaping () -> Void) {
        timers.add(due: DispatchTime.now().uptimeNanoseconds + UInt64(max(0, nanoseconds)), work)
    }

    private func run() {
        thread.store(UInt(pthread_self()), ordering: .releasing)
        _ = pthread_setspecific(Self.currentKey, Unmanaged.passUnretained(self).toOpaque())
        defer { _ = pthread_setspecific(Self.currentKey, nil) }
        var events = [epoll_event](repeating: epoll_event(), count: Self.batch)
        while running {
            let ready = events.withUnsafeMutableBufferPointer { buffer in
                epoll_wait(epoll, buffer.baseAddress, Int32(buffer.count), timers.waitMilliseconds(now: DispatchTime.now().uptimeNanoseconds))
            }
            if ready < 0 && errno != EINTR { break }
            for index in 0..<max(0, Int(ready)) {
                let descriptor = withUnsafePointer(to: &events[index]) { csystem_epoll_event_fd($0) }
                if descriptor == wakeDescriptor {
                    var count: UInt64 = 0
                    _ = Glibc.read(wakeDescriptor, &count, 8)
                    continue
                }
                let slot = Int(descriptor)
                if slot < sources.count, let source = sources[slot] { source.ready(events[index].events) }
            }
            runHandedWork()
            for work in timers.takeDue(now: DispatchTime.now().uptimeNanoseconds) { work() }
            runHandedWork()
        }
        // Work handed over while stopping still runs (a second stop's answer, say); later work is refused.
        let last = handoff.withLock { state in
            state.closed = true
            defer { state.work = [] }
            return state.work
        }
        for item in last { item() }
        sources = []
    }

    deinit {
        // Also after a failed init. Closed only when nothing holds the loop: a thread still inside
        // `execute` holds it, so its wake-up write can never land in a descriptor that reused the number.
        Glibc.close(wakeDescriptor)
        Glibc.close(epoll)
    }

    private func runHandedWork() {
        while true {
            let work = handoff.withLock { state -> [@Sendable () -> Void] in
                state.woken = false
                defer { state.work = [] }
                return state.work
            }
            if work.isEmpty { return }
            for item in work { item() }
        }
    }
}
