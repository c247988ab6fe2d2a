/// Waits until `condition` holds, for at most `timeout`, and returns whether it held. The one
/// place tests poll: every wait in the suites is for a condition, through this.
///
/// Between looks it pauses 1 ms at first, doubling up to 50 ms, and never past the deadline: a
/// condition that is met quickly is seen quickly, and a long wait does not spin. The default
/// deadline is generous (30 s): the whole suite runs in parallel on as few as two cores, where a
/// wait of a second or two alone has been seen to take over ten, and a wait that is met returns
/// at once whatever its deadline.
public func eventually(timeout: Duration = .seconds(30), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    var pause = Duration.milliseconds(1)
    while clock.now < deadline {
        if try await condition() { return true }
        try? await clock.sleep(until: min(deadline, clock.now + pause))
        pause = min(pause * 2, .milliseconds(50))
    }
    return try await condition()
}
