import NIOCore
import NIOPosix
import Synchronization

/// Wakes the workers waiting on a ``WorkQueue``: every change bumps a generation, and a waiter
/// that saw generation `g` returns as soon as the generation passes `g` (so a change between
/// looking at the queue and starting to wait is never lost), when a deadline passes, or when
/// its task is cancelled.
///
/// A deadline is a timer on one of NIO's event loops (the process's executor), cancelled when
/// the waiter is woken first: no task, task group or dispatch timer per wait. A work queue of
/// heartbeats waits on a new deadline every few milliseconds.
public final class ChangeSignal: Sendable {
    private struct Waiter {
        var continuation: CheckedContinuation<Void, Never>
        var timer: Scheduled<Void>?
    }

    private struct State {
        var generation = 0
        var nextWaiter = 0
        var waiters: [Int: Waiter] = [:]
    }

    private let state = Mutex(State())
    private let timers: any EventLoop

    public init() {
        timers = MultiThreadedEventLoopGroup.singleton.next()
    }

    public var generation: Int { state.withLock { $0.generation } }

    public func notify() {
        let waiters = state.withLock { state -> [Waiter] in
            state.generation += 1
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        for waiter in waiters { Self.wake(waiter) }
    }

    /// Bumps the generation but wakes only the longest-waiting waiter (a condition variable's
    /// signal, as client-go's queue signals one worker per added item): waiters that have not
    /// started waiting yet still see the new generation and return at once.
    public func notifyOne() {
        let waiter = state.withLock { state -> Waiter? in
            state.generation += 1
            guard let first = state.waiters.keys.min() else { return nil }
            return state.waiters.removeValue(forKey: first)
        }
        if let waiter { Self.wake(waiter) }
    }

    /// Returns once the generation passes `seen`, at `deadline` (if any), or on cancellation.
    public func wait(after seen: Int, until deadline: ContinuousClock.Instant?) async {
        let id = state.withLock { state -> Int in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = state.withLock { state -> Bool in
                    if state.generation != seen || Task.isCancelled { return true }
                    state.waiters[id] = Waiter(continuation: continuation)
                    return false
                }
                if now {
                    continuation.resume()
                    return
                }
                guard let deadline else { return }
                let timer = timers.scheduleTask(in: Self.timeAmount(deadline - .now)) { [self] () -> Void in
                    if let waiter = state.withLock({ $0.waiters.removeValue(forKey: id) }) { Self.wake(waiter) }
                }
                // Woken meanwhile: the timer is not needed.
                let kept = state.withLock { state -> Bool in
                    guard state.waiters[id] != nil else { return false }
                    state.waiters[id]?.timer = timer
                    return true
                }
                if !kept { timer.cancel() }
            }
        } onCancel: {
            if let waiter = state.withLock({ $0.waiters.removeValue(forKey: id) }) { Self.wake(waiter) }
        }
    }

    private static func wake(_ waiter: Waiter) {
        waiter.timer?.cancel()
        waiter.continuation.resume()
    }

    private static func timeAmount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0 else { return .zero }
        let (nanoseconds, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .hours(24 * 365) : .nanoseconds(nanoseconds + attoseconds / 1_000_000_000)
    }
}
