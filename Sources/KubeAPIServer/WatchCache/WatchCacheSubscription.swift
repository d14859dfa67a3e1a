import KubeStore
import Synchronization

/// The live events of one cached watch: the cache pushes (never blocking), the watch's single
/// consumer takes every buffered event at once. The buffer is bounded; a consumer that falls
/// that far behind is ended, and its client re-watches from the last resourceVersion it saw, as
/// with upstream's watch cache.
///
/// A waiting consumer is resumed by the first event pushed, by the end, by ``wake()`` (its
/// client went away), by cancellation, or by the cache's clock (``tick(_:)``) once the instant
/// it waits until has passed: no timer task per wait.
final class WatchCacheSubscription: Sendable {
    enum Batch: Sendable {
        /// Buffered events, oldest first (never empty).
        case events([CachedEvent])
        /// The subscription ended and every event was taken: the consumer fell behind, or the
        /// cache started over.
        case ended
        /// Nothing to take: the instant waited for passed, ``wake()`` was called, or the waiting
        /// task was cancelled. The subscription stays open and loses nothing.
        case woken
    }

    /// Keys this subscription receives (a resource or one namespace of it).
    let prefix: String
    private let capacity: Int

    private struct Waiter {
        var continuation: CheckedContinuation<Void, Never>
        var until: ContinuousClock.Instant
    }

    private struct State {
        var buffer: [CachedEvent] = []
        var head = 0
        var ended = false
        /// `wake()` came while no consumer was waiting: the next wait returns at once.
        var wakePending = false
        var waiter: Waiter?
        /// Every event up to this revision has been pushed (the resourceVersion a bookmark may carry).
        var progress: Revision
    }
    private let state: Mutex<State>

    init(prefix: String, capacity: Int, progress: Revision) {
        self.prefix = prefix
        self.capacity = capacity
        state = Mutex(State(progress: progress))
    }

    enum PushOutcome: Sendable {
        case open
        /// The buffer was full: the subscription ended now, its consumer having fallen behind.
        case overflowed
        /// The subscription had ended before.
        case ended
    }

    /// Adds an event (or only records progress when the key is not ours). A subscription that
    /// overflowed now or ended earlier should be dropped.
    func push(_ event: CachedEvent) -> PushOutcome {
        let matches = event.key.hasPrefix(prefix)
        let (waiter, outcome): (Waiter?, PushOutcome) = state.withLock { state in
            guard !state.ended else { return (nil, .ended) }
            state.progress = max(state.progress, event.revision)
            guard matches else { return (nil, .open) }
            if state.buffer.count - state.head >= capacity {
                state.ended = true
                state.buffer = []
                state.head = 0
                return (Self.takeWaiter(&state), .overflowed)
            }
            state.buffer.append(event)
            return (Self.takeWaiter(&state), .open)
        }
        waiter?.continuation.resume()
        return outcome
    }

    /// Ends the subscription; the consumer gets the buffered events, then `.ended`.
    func end() {
        let waiter = state.withLock { state -> Waiter? in
            state.ended = true
            return Self.takeWaiter(&state)
        }
        waiter?.continuation.resume()
    }

    /// Resumes the waiting consumer with `.woken` (or the next wait, if none is waiting).
    func wake() {
        let waiter = state.withLock { state -> Waiter? in
            guard let waiter = Self.takeWaiter(&state) else {
                state.wakePending = true
                return nil
            }
            return waiter
        }
        waiter?.continuation.resume()
    }

    /// The cache's clock: resumes a consumer waiting until `now` or earlier.
    func tick(_ now: ContinuousClock.Instant) {
        let waiter = state.withLock { state -> Waiter? in
            guard let waiter = state.waiter, waiter.until <= now else { return nil }
            return Self.takeWaiter(&state)
        }
        waiter?.continuation.resume()
    }

    /// Every buffered event (at most `limit`), waiting for one until `until` (to the precision
    /// of the cache's clock).
    func take(limit: Int, until: ContinuousClock.Instant) async -> Batch {
        if let ready = state.withLock({ Self.take(&$0, limit: limit) }) { return ready }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { state -> Bool in
                    if state.head < state.buffer.count || state.ended || state.wakePending || Task.isCancelled
                        || ContinuousClock.now >= until {
                        state.wakePending = false
                        return true
                    }
                    state.waiter = Waiter(continuation: continuation, until: until)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { Self.takeWaiter(&$0) }
            waiter?.continuation.resume()
        }
        return state.withLock { Self.take(&$0, limit: limit) } ?? .woken
    }

    private static func take(_ state: inout State, limit: Int) -> Batch? {
        if state.head < state.buffer.count {
            let end = min(state.buffer.count, state.head + max(1, limit))
            let events = Array(state.buffer[state.head..<end])
            state.head = end
            if state.head == state.buffer.count {
                state.buffer.removeAll(keepingCapacity: state.buffer.capacity <= 4096)
                state.head = 0
            } else if state.head >= 1024 && state.head * 2 >= state.buffer.count {
                state.buffer.removeFirst(state.head)
                state.head = 0
            }
            return .events(events)
        }
        return state.ended ? .ended : nil
    }

    private static func takeWaiter(_ state: inout State) -> Waiter? {
        defer { state.waiter = nil }
        return state.waiter
    }

    /// True while a consumer waits (for tests and diagnostics).
    var hasWaiter: Bool { state.withLock { $0.waiter != nil } }

    /// The resourceVersion an idle bookmark may carry now: nil while events are still buffered.
    func bookmarkRevision() -> Revision? {
        state.withLock { $0.head < $0.buffer.count ? nil : $0.progress }
    }
}
