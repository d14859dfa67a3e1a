import Synchronization

/// Fires once when the client of a request goes away (its HTTP/2 stream or HTTP/1.1 connection
/// closes). A watch waits on it beside its events and timers (or has it wake its cache
/// subscription), so that an idle watch whose client left ends at once instead of at its next
/// event or its timeout.
public final class ConnectionClosedSignal: Sendable {
    private struct State {
        var fired = false
        var nextWaiter = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
        var actions: [Int: @Sendable () -> Void] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    public var isFired: Bool { state.withLock { $0.fired } }

    /// Wakes every waiter, now and later.
    public func fire() {
        let (waiters, actions) = state.withLock { state in
            state.fired = true
            defer {
                state.waiters = [:]
                state.actions = [:]
            }
            return (Array(state.waiters.values), Array(state.actions.values))
        }
        for waiter in waiters { waiter.resume() }
        for action in actions { action() }
    }

    /// Runs `action` when the signal fires (at once if it has); the returned token cancels it.
    public func onFire(_ action: @escaping @Sendable () -> Void) -> Int {
        let (id, fired) = state.withLock { state -> (Int, Bool) in
            state.nextWaiter += 1
            if !state.fired { state.actions[state.nextWaiter] = action }
            return (state.nextWaiter, state.fired)
        }
        if fired { action() }
        return id
    }

    /// Forgets the action registered under `token`.
    public func cancelOnFire(_ token: Int) {
        _ = state.withLock { $0.actions.removeValue(forKey: token) }
    }

    /// Returns once fired, or when the calling task is cancelled.
    public func wait() async {
        let id = state.withLock { state -> Int in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.fired || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }
}
