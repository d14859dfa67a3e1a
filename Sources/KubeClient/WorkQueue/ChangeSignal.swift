import Synchronization

/// Wakes the workers waiting on a ``WorkQueue``: every change bumps a generation, and a waiter
/// that saw generation `g` returns as soon as the generation passes `g` (so a change between
/// looking at the queue and starting to wait is never lost), when a deadline passes, or when
/// its task is cancelled.
public final class ChangeSignal: Sendable {
    private struct State {
        var generation = 0
        var nextWaiter = 0
        var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    }

    private let state = Mutex(State())

    public init() {}

    public var generation: Int { state.withLock { $0.generation } }

    public func notify() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.generation += 1
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Bumps the generation but wakes only the longest-waiting waiter (a condition variable's
    /// signal, as client-go's queue signals one worker per added item): waiters that have not
    /// started waiting yet still see the new generation and return at once.
    public func notifyOne() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.generation += 1
            guard let first = state.waiters.keys.min() else { return nil }
            return state.waiters.removeValue(forKey: first)
        }
        waiter?.resume()
    }

    /// Returns once the generation passes `seen`, at `deadline` (if any), or on cancellation.
    public func wait(after seen: Int, until deadline: ContinuousClock.Instant?) async {
        guard let deadline else { return await wait(after: seen) }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.wait(after: seen) }
            group.addTask { try? await Task.sleep(until: deadline, clock: .continuous) }
            await group.next()
            group.cancelAll()
        }
    }

    private func wait(after seen: Int) async {
        let id = state.withLock { state -> Int in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = state.withLock { state -> Bool in
                    if state.generation != seen || Task.isCancelled { return true }
                    state.waiters[id] = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume()
        }
    }
}
